import ArgumentParser
import Foundation
import KioskCore
import KioskTerminal

/// `kiosk desk`: the front desk's console on the kiosk's database. After each
/// command it shows the unacknowledged alerts first, then the count of new requests.
struct DeskConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "console", abstract: "The desk's interactive console (the default).")
    @OptionGroup var options: DeskOptions

    func run() throws {
        let desk = try DeskContext.open(content: options.content, db: options.db)
        let interactive = isatty(STDIN_FILENO) == 1
        Termination.install()
        defer { Termination.restoreTerminal() }
        let reader: LineReader
        if interactive {
            let readline = ReadlineLineReader(completeWords: true)
            readline.contextCompletions = { words in DeskConsoleCommand.completions(after: words, desk) }
            reader = readline
        } else {
            reader = PlainLineReader()
        }
        print("\(desk.clinic.name): front desk.")
        print("Type help for the commands, quit to leave.")
        showStatus(desk)
        while !Termination.requested {
            let result = reader.readLine(prompt: "desk> ", completions: completions(desk), prefill: nil, sensitive: false)
            switch result {
            case let .line(line):
                guard let words = DeskConsoleCommand.split(line), !words.isEmpty else {
                    if DeskConsoleCommand.split(line) == nil { print("An opening quote has no closing quote.") }
                    continue
                }
                if ["quit", "exit", "q"].contains(words[0].lowercased()) { return }
                perform(words, desk)
                showStatus(desk)
            case .interrupted, .idle: continue
            case .endOfInput, .terminated: return
            }
        }
    }

    func perform(_ words: [String], _ desk: DeskContext) {
        let command = words[0].lowercased()
        if command == "help" || command == "?" {
            print("""
            list [--referrals] [--status S] [--professional P] [--from DAY] [--until DAY] [--page N]
            show REF                      find TEXT (any accents, any case)
            pass REF [--note TEXT]        a referral given to its partner
            slots REF [DAY] [--days N]    free slots that fit the request, numbered
            book REF N [--confirm]        book suggestion N of slots REF
            slots [PROFESSIONAL] [DAY]    a professional's free slots
            book REF PROFESSIONAL YYYY-MM-DD HH:MM [--confirm] [--note TEXT]
            set REF contacted|completed|no-show|cancelled [--note TEXT] [--confirm]
            waiting REF                   who is waiting that REF's slot suits
            waiting PROFESSIONAL YYYY-MM-DD HH:MM
            reminders [--day DAY] [--format table|json|csv]   default: tomorrow
            alerts [--all]                ack ALERT
            returning                     wrong codes at the kiosks' check of returning clients
            quit
            """)
            return
        }
        guard DeskCommand.consoleWords.contains(command) else {
            let hint = nearest(command, in: DeskCommand.consoleWords).map { " Did you mean \($0)?" } ?? ""
            print("No command \"\(TextSafety.display(words[0]))\".\(hint) Type help for the commands.")
            return
        }
        do {
            let parsed = try DeskCommand.parseAsRoot([command] + words.dropFirst())
            guard let action = parsed as? any DeskAction else { return }
            try action.execute(desk)
        } catch let failure as DeskFailure {
            print(failure.description)
        } catch {
            let message = DeskCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            print("\(message) (help \(command) for its usage)")
        }
    }

    func showStatus(_ desk: DeskContext) {
        do {
            let alerts = try desk.store.alerts(includeAcknowledged: false)
            if !alerts.isEmpty {
                print("!! \(alerts.count) alert\(alerts.count == 1 ? "" : "s") (ack N when handled):")
                for alert in alerts { print("   " + DeskFormat.alertLine(alert, desk)) }
            }
            // Wrong codes or factors in a row at a kiosk's "I have been here before".
            for lock in try desk.store.returnLocks() where lock.failures > 0 {
                print("!! Returning clients: " + DeskFormat.lockLine(lock, desk) + " (returning).")
            }
            let new = try desk.store.countFollowUps(FollowUpFilter(status: .requested, referral: false))
            print("\(new) new request\(new == 1 ? "" : "s") (list --status requested).")
            let referrals = try desk.store.countFollowUps(FollowUpFilter(status: .requested, referral: true))
            if referrals > 0 {
                print("\(referrals) referral\(referrals == 1 ? "" : "s") to pass on to partners (list --referrals, then pass REF).")
            }
        } catch {
            print("Could not read the database: \(error)")
        }
    }

    func completions(_ desk: DeskContext) -> [String] {
        DeskCommand.consoleWords + Self.references(desk) + desk.clinic.professionals.map(\.id)
            + desk.clinic.partners.map(\.id)
            + ["contacted", "completed", "no-show", "cancelled", "--status", "--professional", "--note", "--confirm",
               "--referrals"]
    }

    static func references(_ desk: DeskContext) -> [String] {
        (try? desk.store.followUps(FollowUpFilter(), limit: 200, offset: 0).map(\.reference)) ?? []
    }

    /// What TAB offers after `words` (nil: every word the console knows): commands first,
    /// then references, then per command what comes next; after `book REF`, the numbers
    /// of the suggestions `slots REF` last listed, then the professionals.
    static func completions(after words: [String], _ desk: DeskContext) -> [String]? {
        guard let command = words.first?.lowercased() else { return DeskCommand.consoleWords }
        let professionals = desk.clinic.professionals.map(\.id)
        switch (command, words.count) {
        case ("show", 1), ("book", 1), ("set", 1): return references(desk)
        case ("slots", 1), ("waiting", 1): return references(desk) + professionals
        case ("book", 2):
            guard let reference = DeskContext.referenceCode(words[1]),
                  let listing = SuggestionMemory.recall(location: desk.location, reference: reference) else { return professionals }
            return listing.slots.indices.map { String($0 + 1) } + professionals
        case ("set", 2): return ["contacted", "completed", "no-show", "cancelled"]
        case ("reminders", _): return ["--day", "--format", "today", "tomorrow", "table", "json", "csv"]
        default: return nil
        }
    }

    /// Splits a typed line into words; "double" or 'single' quotes keep spaces. Nil for an unclosed quote.
    static func split(_ line: String) -> [String]? {
        var words: [String] = [], current = "", quote: Character?, inWord = false
        for c in line {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c; inWord = true
            } else if c == " " || c == "\t" {
                if inWord { words.append(current); current = ""; inWord = false }
            } else {
                current.append(c); inWord = true
            }
        }
        if quote != nil { return nil }
        if inWord { words.append(current) }
        return words
    }
}
