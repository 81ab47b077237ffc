/// The ids of Content that the code relies on, named once. `content check` (KioskContent's
/// loader) refuses Content that would clash with them, with the file and line.
public enum ContentIDs {
    /// The answer "none of these" that the session adds after a warning screen's signs (a
    /// rule may name it, like `{warning_screen: [none]}`); no warning sign may take the id.
    public static let noWarningSign = "none"

    /// The booking kinds the session offers beside the directory's disciplines: a named
    /// professional, anyone who fits, someone who speaks the client's language. They share
    /// the disciplines' ids, so no discipline may take one of these.
    public static let bookNamed = "named"
    public static let bookAnyone = "anyone"
    public static let bookLanguage = "language"
    public static let bookingKinds = [bookNamed, bookAnyone, bookLanguage]

    /// The questions `kiosk stats` breaks the assessments down by: where it hurts and how it
    /// started. It counts their choices, so each must be a single or multiple question.
    public static let areaQuestion = "area"
    public static let causeQuestion = "cause"
    public static let statsQuestions = [areaQuestion, causeQuestion]
}
