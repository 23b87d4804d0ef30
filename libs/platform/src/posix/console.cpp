// platform/console.hpp on POSIX: sigaction for SIGINT/SIGTERM/SIGHUP, /dev/tty, setenv.
#include "platform/console.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <vector>

namespace platform {

namespace {

std::atomic<StopHandler> g_handler{nullptr};
static_assert(std::atomic<StopHandler>::is_always_lock_free);

// The actions StopHandling replaced, per nesting level (restored in reverse order).
struct Saved {
  struct sigaction int_action {};
  struct sigaction term_action {};
  struct sigaction hup_action {};
};
std::mutex g_mu;
std::vector<Saved> g_saved;

void deliver(ConsoleEvent e) {
  if (const StopHandler h = g_handler.load()) h(e);
}

extern "C" void on_stop_signal(int sig) {
  deliver(sig == SIGINT ? ConsoleEvent::interrupt : ConsoleEvent::terminate);
}

// SIGHUP from kill(1)/systemctl reload asks for a reload. The kernel sends SIGHUP when the
// terminal the process runs in goes away (its window was closed).
extern "C" void on_hup_signal(int, siginfo_t* info, void*) {
  deliver(info != nullptr && info->si_code == SI_KERNEL ? ConsoleEvent::hangup
                                                        : ConsoleEvent::reload);
}

}  // namespace

const char* event_name(ConsoleEvent e) {
  switch (e) {
    case ConsoleEvent::interrupt:
      return "Ctrl+C";
    case ConsoleEvent::break_key:
      return "Ctrl+Break";
    case ConsoleEvent::terminate:
      return "SIGTERM";
    case ConsoleEvent::hangup:
      return "hang-up";
    case ConsoleEvent::reload:
      return "SIGHUP";
  }
  return "signal";
}

StopHandling::StopHandling(StopHandler handler, bool reload)
    : previous_(g_handler.exchange(handler)), reload_(reload), outermost_(previous_ == nullptr) {
  std::lock_guard lock(g_mu);
  Saved& saved = g_saved.emplace_back();
  // As std::signal installs a handler (BSD semantics): interrupted slow calls restart.
  struct sigaction stop {};
  stop.sa_handler = on_stop_signal;
  stop.sa_flags = SA_RESTART;
  sigemptyset(&stop.sa_mask);
  ::sigaction(SIGINT, &stop, &saved.int_action);
  ::sigaction(SIGTERM, &stop, &saved.term_action);
  if (reload_) {
    struct sigaction hup {};
    hup.sa_sigaction = on_hup_signal;
    hup.sa_flags = SA_SIGINFO;
    sigemptyset(&hup.sa_mask);
    ::sigaction(SIGHUP, &hup, &saved.hup_action);
  }
}

StopHandling::~StopHandling() {
  std::lock_guard lock(g_mu);
  const Saved saved = g_saved.back();
  g_saved.pop_back();
  if (reload_) ::sigaction(SIGHUP, &saved.hup_action, nullptr);
  ::sigaction(SIGTERM, &saved.term_action, nullptr);
  ::sigaction(SIGINT, &saved.int_action, nullptr);
  g_handler.store(previous_);
  (void)outermost_;
}

void raise_stop_event(ConsoleEvent e) {
  if (const StopHandler h = g_handler.load()) h(e);
}

bool is_terminal(int fd) {
  return ::isatty(fd) == 1;
}

bool has_terminal() {
  const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

bool set_env(const char* name, const char* value) {
  return ::setenv(name, value, 1) == 0;
}

void prepare_console() {}

}  // namespace platform
