// platform/sleep.hpp on Windows: a waitable timer per thread (high resolution where the system has
// it), woken a little early, then a short spin on the steady clock to the exact deadline.
#include "platform/sleep.hpp"

#include <windows.h>

#include <algorithm>
#include <mutex>
#include <vector>

#ifndef CREATE_WAITABLE_TIMER_HIGH_RESOLUTION
#define CREATE_WAITABLE_TIMER_HIGH_RESOLUTION 0x00000002  // Windows 10 1803; older headers lack it
#endif

namespace platform {

namespace {

using SteadyClock = std::chrono::steady_clock;

// The timer is set to wake this long before the deadline; the rest is spun. A timer wake-up can
// be late by about its resolution (1 ms with timeBeginPeriod(1); Wine 8 wakes 1.06-1.3 ms after
// the time asked, also with the high-resolution timer), and Wine returns at once from waits
// under a millisecond. Measured under Wine 8 with this margin: median 0.4 us past the deadline.
constexpr auto kSpin = std::chrono::microseconds(1500);

template <typename Fn>
Fn system_function(const wchar_t* dll, const char* name) {
  HMODULE module = ::GetModuleHandleW(dll);
  if (module == nullptr) module = ::LoadLibraryW(dll);
  if (module == nullptr) return nullptr;
  FARPROC proc = ::GetProcAddress(module, name);
  // Through void(*)(): the one function-pointer type GCC lets any other be cast from.
  return proc == nullptr ? nullptr : reinterpret_cast<Fn>(reinterpret_cast<void (*)()>(proc));
}

// timeBeginPeriod(1) once per process, for the plain timer (winmm is loaded only then).
bool raise_timer_resolution() {
  static const bool raised = [] {
    using Fn = UINT(WINAPI*)(UINT);
    const Fn begin = system_function<Fn>(L"winmm.dll", "timeBeginPeriod");
    return begin != nullptr && begin(1) == 0;  // TIMERR_NOERROR
  }();
  return raised;
}

struct ThreadTimer {
  ThreadTimer() {
    handle = ::CreateWaitableTimerExW(nullptr, nullptr, CREATE_WAITABLE_TIMER_HIGH_RESOLUTION,
                                      TIMER_ALL_ACCESS);
    high_resolution = handle != nullptr;
    if (handle == nullptr) {
      handle = ::CreateWaitableTimerExW(nullptr, nullptr, 0, TIMER_ALL_ACCESS);
      period_raised = raise_timer_resolution();
    }
  }
  ~ThreadTimer() {
    if (handle != nullptr) ::CloseHandle(handle);
  }
  ThreadTimer(const ThreadTimer&) = delete;
  ThreadTimer& operator=(const ThreadTimer&) = delete;
  HANDLE handle = nullptr;
  bool high_resolution = false;
  bool period_raised = false;
};

ThreadTimer& thread_timer() {
  thread_local ThreadTimer timer;
  return timer;
}

// The timers of the threads sleeping now, for interrupt_sleeps().
struct Sleeper {
  HANDLE timer;
  bool woken;
};
std::mutex g_sleepers_mu;
std::vector<Sleeper*> g_sleepers;

// Waits on `timer` for `d` (relative). False when interrupt_sleeps() ended the wait.
bool wait_timer(HANDLE timer, SteadyClock::duration d) {
  const auto ticks = std::max<std::int64_t>(
      1,
      std::chrono::duration_cast<std::chrono::duration<std::int64_t, std::ratio<1, 10'000'000>>>(d)
          .count());
  LARGE_INTEGER due{};
  due.QuadPart = -ticks;  // negative: relative, in 100 ns units
  Sleeper me{timer, false};
  {
    std::lock_guard lock(g_sleepers_mu);
    if (!::SetWaitableTimer(timer, &due, 0, nullptr, nullptr, FALSE)) return true;
    g_sleepers.push_back(&me);
  }
  ::WaitForSingleObject(timer, INFINITE);
  std::lock_guard lock(g_sleepers_mu);
  g_sleepers.erase(std::find(g_sleepers.begin(), g_sleepers.end(), &me));
  return !me.woken;
}

}  // namespace

void sleep_until(SteadyClock::time_point deadline) {
  ThreadTimer& timer = thread_timer();
  for (;;) {
    const auto now = SteadyClock::now();
    if (now >= deadline) return;
    const auto left = deadline - now;
    if (left <= kSpin || timer.handle == nullptr) break;
    if (!wait_timer(timer.handle, left - kSpin)) return;  // interrupted
  }
  // The last part: spin, letting other ready threads run.
  while (SteadyClock::now() < deadline) {
    YieldProcessor();
    ::SwitchToThread();
  }
}

void interrupt_sleeps() {
  std::lock_guard lock(g_sleepers_mu);
  LARGE_INTEGER now{};
  now.QuadPart = -1;  // 100 ns from now
  for (Sleeper* s : g_sleepers) {
    s->woken = true;
    ::SetWaitableTimer(s->timer, &now, 0, nullptr, nullptr, FALSE);
  }
}

SleepInfo sleep_info() {
  const ThreadTimer& timer = thread_timer();
  SleepInfo info;
  if (timer.high_resolution)
    info.method = "high-resolution waitable timer, then a spin for the last 1.5 ms";
  else if (timer.period_raised)
    info.method = "waitable timer with timeBeginPeriod(1), then a spin for the last 1.5 ms";
  else
    info.method = "waitable timer, then a spin for the last 1.5 ms";
  // The system timer's current resolution (100 ns units), as NtQueryTimerResolution reports it.
  using Query = LONG(NTAPI*)(PULONG, PULONG, PULONG);
  if (const Query query = system_function<Query>(L"ntdll.dll", "NtQueryTimerResolution")) {
    ULONG coarsest = 0, finest = 0, current = 0;
    if (query(&coarsest, &finest, &current) == 0)
      info.resolution = std::chrono::nanoseconds(static_cast<std::int64_t>(current) * 100);
  }
  return info;
}

}  // namespace platform
