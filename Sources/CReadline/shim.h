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

/* Unbinds each of `functions` wherever it is bound in `map` and in the keymaps under it
   (prefix keys such as ESC and C-x, and the arrow keys' sequences), as readline's own
   rl_unbind_function_in_map does for one function: one walk of the tree for all of them,
   where that walks it once per function (3% of every start, in perf). */
static inline void kiosk_unbind_functions(Keymap map, rl_command_func_t *const *functions, int count, int depth) {
    if (map == NULL || depth > 16) return;
    for (int i = 0; i < KEYMAP_SIZE; i++) {
        if (map[i].type == ISFUNC && map[i].function != NULL) {
            for (int f = 0; f < count; f++) {
                if (map[i].function == functions[f]) { map[i].function = NULL; break; }
            }
        } else if (map[i].type == ISKMAP) {
            kiosk_unbind_functions((Keymap)map[i].function, functions, count, depth + 1);
        }
    }
}
