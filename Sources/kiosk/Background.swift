#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Work done on a thread of its own while the caller goes on; `value()` waits for it.
/// A plain POSIX thread: the kiosk's start-up uses it once (the database opens while the
/// content is read), where starting Foundation's threads or a task would cost more than it saves.
final class Background<Value>: @unchecked Sendable {
    // Written by the thread before it ends and read only after pthread_join: the join orders the two.
    private var result: Value?
    private var thread: pthread_t?

    init(_ work: @escaping @Sendable () -> Value) {
        let job = Job { [self] in self.result = work() }
        let context = Unmanaged.passRetained(job).toOpaque()
        var thread = pthread_t()
        if pthread_create(&thread, nil, { context in
            let job = Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
            job.run()
            return nil
        }, context) == 0 {
            self.thread = thread
        } else {
            // No thread to be had: do it here and now.
            Unmanaged<Job>.fromOpaque(context).takeRetainedValue().run()
        }
    }

    private init(result: Value) {
        self.result = result
    }

    /// A value there already: no thread.
    static func done(_ value: Value) -> Background { Background(result: value) }

    /// The work's result, once it has finished.
    func value() -> Value {
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
        return result!
    }
}

/// The closure a thread runs, in a class so that it can pass through `pthread_create`.
private final class Job: @unchecked Sendable {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}
