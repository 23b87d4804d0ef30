// platform/console.hpp: stop requests from the console and the system (Ctrl+C, SIGTERM, SIGHUP,
// a closed console window), the terminal, the environment, and UTF-8 console output.
#pragma once

namespace platform {

// The standard streams' numbers, for LineWriter and is_terminal().
inline constexpr int kStdout = 1;
inline constexpr int kStderr = 2;

enum class ConsoleEvent {
  interrupt,  // Ctrl+C (POSIX SIGINT, Windows CTRL_C_EVENT)
  break_key,  // Ctrl+Break (Windows CTRL_BREAK_EVENT)
  terminate,  // POSIX SIGTERM; Windows: the user logs off or the system shuts down
  hangup,     // the terminal is gone: POSIX SIGHUP from the kernel; Windows: console window closed
  reload,     // POSIX SIGHUP sent by a program (kill -HUP, systemctl reload). Windows has none.
};

// What to call the event in a message: "Ctrl+C", "Ctrl+Break", "SIGTERM" (Windows: "log-off or
// shut-down"), "hang-up" (Windows: "console window closed"), "SIGHUP".
const char* event_name(ConsoleEvent e);

// Called for each event. It runs inside a signal handler (POSIX) or on the console's control
// thread (Windows): it may only store to lock-free atomics.
using StopHandler = void (*)(ConsoleEvent);

// Routes the stop events to `handler` while the object lives; the destructor puts back what was
// there before (objects nest: the innermost one's handler is called).
// - POSIX: SIGINT and SIGTERM (as std::signal installs them: SA_RESTART); with `reload`, also
//   SIGHUP (SA_SIGINFO, no SA_RESTART), reported as `hangup` when the kernel sent it (the
//   terminal closed) and `reload` otherwise. Without `reload` SIGHUP is left alone.
// - Windows (SetConsoleCtrlHandler): Ctrl+C, Ctrl+Break, console window closed, log-off,
//   shut-down. After the handler, sleep_until() calls end at once (interrupt_sleeps()), as a
//   signal ends a sleep on POSIX. Windows ends the process as soon as the control handler returns
//   from a close, log-off or shut-down event (and kills it about 5 s after the event anyway), so
//   for those the control thread waits until the outermost StopHandling is destroyed (the caller
//   has written its last rows and summary by then), at most 4 s. `reload` changes nothing.
class StopHandling {
 public:
  StopHandling(StopHandler handler, bool reload);
  ~StopHandling();
  StopHandling(const StopHandling&) = delete;
  StopHandling& operator=(const StopHandling&) = delete;

 private:
  StopHandler previous_;
  bool reload_;
  bool outermost_;
};

// Delivers `e` as if the console or the system had sent it: the innermost StopHandling's handler
// is called and sleeps end (Windows). For stop requests from elsewhere (the Windows service
// control manager). Nothing happens without a StopHandling.
void raise_stop_event(ConsoleEvent e);

// Whether `fd` (kStdout, kStderr, 0) is a terminal / console.
bool is_terminal(int fd);
// Whether the process has a controlling terminal (POSIX /dev/tty opens) or a console (Windows)
// now: false once the window it started in is gone.
bool has_terminal();
// Sets an environment variable for this process (what std::getenv reads). False on failure.
bool set_env(const char* name, const char* value);
// Windows: switches the console's output code page to UTF-8 (so printf of UTF-8 text, such as
// non-ASCII tag names, shows right; put back at exit) and enables ANSI escape sequences
// (status lines). POSIX: nothing. Call once at the start; more calls do nothing.
void prepare_console();

}  // namespace platform
