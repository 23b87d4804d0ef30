// platform/service.hpp: running under the Windows Service Control Manager (sc.exe create ...).
#pragma once

#include <functional>
#include <string>

namespace platform {

struct ServiceRun {
  bool started = false;  // the service control manager ran `body`
  int exit_code = 2;     // body's result when started
  std::string error;     // why not, when not started
};

// Windows: connects to the service control manager as the service `name` (the process must have
// been started by it, e.g. after `sc.exe create NAME binPath= "...s7log.exe run --service NAME
// ..."`), reports it running, runs `body` and reports it stopped with body's exit code (non-zero
// as a service-specific error, shown by `sc.exe query`). A Stop or Shutdown request becomes
// raise_stop_event(ConsoleEvent::terminate), so body stops the way Ctrl+C stops it. Standard
// output and error go to `log_file` (appended; a service has no console).
// POSIX: not started; the error says to use systemd (docs/service.md).
ServiceRun run_as_service(const std::string& name, const std::string& log_file,
                          const std::function<int()>& body);

}  // namespace platform
