#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <readline/readline.h>
#include <readline/history.h>

/* Small helpers for KioskTerminal: sigaction's handler field is a union whose
   Swift spelling differs between Glibc and Darwin, and SIG_IGN is a cast macro. */

/* Installs `handler` for `signum` WITHOUT SA_RESTART, so a blocking poll()
   returns EINTR. Returns 0 on success, -1 with errno set. */
static inline int kiosk_set_signal_handler(int signum, void (*handler)(int)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    return sigaction(signum, &sa, NULL);
}

/* Ignores `signum` (SIG_IGN survives exec and readline keeps it ignored). */
static inline int kiosk_ignore_signal(int signum) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    return sigaction(signum, &sa, NULL);
}
