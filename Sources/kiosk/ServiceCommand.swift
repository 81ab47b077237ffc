import ArgumentParser
import Foundation
import KioskPostgres

/// Prints what keeps the kiosk running on a dedicated console: a systemd unit
/// that restarts it after a failure (not after staff leave with the PIN), and an
/// agetty drop-in for the alternative of an auto-login console.
struct ServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service", abstract: "Print a systemd unit (and an agetty drop-in) that keeps the kiosk running.")

    @Option(help: "The account the kiosk runs as (create it with: useradd --system --create-home kiosk).")
    var user = "kiosk"

    @Option(help: "The console it runs on.")
    var tty = "tty1"

    @Option(help: "The database file.")
    var db = "/var/lib/relief-kiosk/kiosk.sqlite"

    @Option(help: "The content folder (default: the one this kiosk uses now).")
    var content: String?

    func run() throws {
        try StoreOpening.check(db)
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        let contentDir = URL(fileURLWithPath: Paths.content(content)).standardizedFileURL.path
        let dbDir = URL(fileURLWithPath: db).deletingLastPathComponent().path
        // A PostgreSQL database needs no folder here; its password is in the user's ~/.pgpass.
        let writable = PostgresURL.isPostgres(db)
            ? "# The database is on a PostgreSQL server: its password goes in ~\(user)/.pgpass (mode 0600)."
            : "ReadWritePaths=\(dbDir)"
        print("""
        # /etc/systemd/system/relief-kiosk.service
        # Install: save this file, then: systemctl daemon-reload && systemctl enable --now relief-kiosk
        # Create the database and set the staff PIN first, as the kiosk's user:
        #   sudo -u \(user) \(executable) db migrate --db \(db)
        #   sudo -u \(user) \(executable) staff-pin set --db \(db)
        [Unit]
        Description=Relief kiosk on \(tty)
        After=systemd-user-sessions.service
        Conflicts=getty@\(tty).service
        # No restart storm: at most 5 starts in 5 minutes, then systemd gives up and says so.
        StartLimitIntervalSec=300
        StartLimitBurst=5

        [Service]
        User=\(user)
        ExecStart=\(executable) run --content \(contentDir) --db \(db)
        Environment=TERM=linux
        StandardInput=tty-force
        StandardOutput=tty
        StandardError=journal
        TTYPath=/dev/\(tty)
        TTYReset=yes
        TTYVHangup=yes
        TTYVTDisallocate=yes
        # Restart after a crash or a kill, not after staff leave with the PIN (exit 0).
        Restart=on-failure
        RestartSec=2
        # Files the kiosk creates are its own only (the database holds contact details).
        UMask=0077
        \(writable)
        NoNewPrivileges=yes
        ProtectSystem=strict
        PrivateTmp=yes

        [Install]
        WantedBy=multi-user.target

        # --- or, instead of the unit above: an auto-login console ---------------------------
        # /etc/systemd/system/getty@\(tty).service.d/kiosk.conf
        # The account's login shell starts the kiosk (chsh -s /usr/local/bin/relief-kiosk \(user)),
        # where /usr/local/bin/relief-kiosk is a two-line script:
        #   #!/bin/sh
        #   umask 077; exec \(executable) run --content \(contentDir) --db \(db)
        # (list it in /etc/shells). agetty logs the account in again whenever the kiosk ends.
        [Service]
        ExecStart=
        ExecStart=-/sbin/agetty --autologin \(user) --noclear %I $TERM
        Restart=always
        RestartSec=2
        """)
    }
}
