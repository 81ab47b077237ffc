import ArgumentParser
import KioskCommandLine
import Testing

/// `kiosk`'s command tree as far as `RunOptions.quickParse` can see it: a root whose default
/// subcommand is `run`, beside others. quickParse takes only arguments whose first is `run` or
/// starts with `--`, so ArgumentParser never picks another subcommand (or `help`) for a
/// spelling it takes: what stands beside `run` cannot change the reading of those.
private struct Root: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk", subcommands: [RunCommand.self, Desk.self], defaultSubcommand: RunCommand.self)
}

private struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run")
    @OptionGroup var arguments: RunArguments
}

/// A sibling with a `--db` of its own, so that a value "desk" could be taken for a command.
private struct Desk: ParsableCommand {
    @OptionGroup var database: DatabaseOption
}

/// The spellings: each option of `kiosk run` and some it does not have, with a value after a
/// space, after `=`, or none; values that look like options, commands, numbers, or are empty.
/// ArgumentParser takes milliseconds a reading in a debug build, so pairs and triples use
/// fewer values than single options do.
private enum Spellings {
    static let names = ["--content", "--db", "--event", "--idle-timeout", "--no-lock", "--bogus", "--"]
    static let values = ["x", "", "-x", "--db", "run", "desk", "help", "5", "1", "+5", "a=b", "-"]
    static let bare = [["run"], ["desk"], ["help"], ["-h"], ["--help"], ["x"], ["-"], ["-c", "x"]]

    /// One option as typed: alone (a flag, or a missing value), `--opt value`, `--opt=value`.
    static let singles: [[String]] = names.flatMap { name in
        [[name]] + values.map { [name, $0] } + values.map { ["\(name)=\($0)"] }
    } + bare

    /// Options that meet another: missing values, empty values, repeats, `--`, a stray word.
    static let pairItems: [[String]] = names.flatMap { [[$0], [$0, "x"], ["\($0)=x"], ["\($0)="], [$0, "5"]] }
        + [["run"], ["x"], ["--"]]

    static let wellFormed: [[String]] = [["--content", "c"], ["--db=d"], ["--event", "e"], ["--idle-timeout=7"], ["--no-lock"]]

    /// Every single, every pair of `pairItems`, every three well-formed options; each with and
    /// without `run` first.
    static let all: [[String]] = {
        var out: [[String]] = [[]] + singles
        for a in pairItems { for b in pairItems { out.append(a + b) } }
        for a in wellFormed { for b in wellFormed { for c in wellFormed { out.append(a + b + c) } } }
        return out + out.map { ["run"] + $0 }
    }()
}

@Suite("kiosk run: the quick reading of its options agrees with ArgumentParser")
struct RunParsingTests {
    /// What `Kiosk.main` runs with: quickParse's options when it took them and they pass
    /// the checks; otherwise ArgumentParser decides.
    static func quick(_ arguments: [String]) -> RunOptions? {
        guard let options = RunOptions.quickParse(arguments), (try? options.validate()) != nil else { return nil }
        return options
    }

    /// ArgumentParser's reading, or nil for an error, help, or another command.
    static func argumentParser(_ arguments: [String]) -> RunOptions? {
        guard let command = try? Root.parseAsRoot(arguments) else { return nil }
        return (command as? RunCommand)?.arguments.options
    }

    @Test("every spelling quickParse takes, ArgumentParser reads the same way; every mistake it leaves to ArgumentParser")
    func agreement() {
        var taken = 0
        var disagreements: [String] = []
        for arguments in Spellings.all {
            guard let quick = Self.quick(arguments) else { continue }
            taken += 1
            let parsed = Self.argumentParser(arguments)
            if parsed != quick {
                disagreements.append("\(arguments): quickParse \(quick), ArgumentParser \(parsed.map { "\($0)" } ?? "refuses it")")
            }
        }
        let count = disagreements.count
        #expect(count == 0, "disagreements, first:\n\(disagreements.prefix(12).joined(separator: "\n"))")
        #expect(taken > 300, "quickParse takes the usual spellings (\(taken) of \(Spellings.all.count))")
    }

    @Test("the usual spellings are read quickly, as ArgumentParser reads them")
    func usual() {
        let cases: [([String], RunOptions)] = [
            ([], RunOptions()),
            (["run"], RunOptions()),
            (["--no-lock"], RunOptions(noLock: true)),
            (["run", "--db", "/tmp/k.sqlite", "--event", "Spring Health Fair"],
             RunOptions(db: "/tmp/k.sqlite", event: "Spring Health Fair")),
            (["--content=Content", "--idle-timeout=30", "--no-lock"],
             RunOptions(content: "Content", idleTimeout: 30, noLock: true)),
        ]
        for (arguments, expected) in cases {
            #expect(Self.quick(arguments) == expected, "\(arguments)")
            #expect(Self.argumentParser(arguments) == expected, "\(arguments)")
        }
    }

    @Test("repeats, mistakes and empty values are left to ArgumentParser")
    func mistakes() {
        let cases: [[String]] = [
            ["--db"], ["--db", "a", "--db", "b"], ["--bogus"], ["--no-lock=yes"], ["--idle-timeout", "soon"],
            ["--idle-timeout", "1"], ["--event", " "], ["--"], ["-c", "x"], ["--content="],
        ]
        for arguments in cases {
            #expect(Self.quick(arguments) == nil, "\(arguments)")
        }
        #expect(Self.argumentParser(["--db"]) == nil && Self.argumentParser(["--bogus"]) == nil)
    }
}

