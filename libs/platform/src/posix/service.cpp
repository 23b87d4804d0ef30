// platform/service.hpp on POSIX: there is no service control manager to talk to (systemd runs
// s7log as a plain process: docs/service.md).
#include "platform/service.hpp"

namespace platform {

ServiceRun run_as_service(const std::string&, const std::string&, const std::function<int()>&) {
  return {false, 2,
          "--service is for Windows services; on Linux run s7log under systemd "
          "(s7log@NAME.service, docs/service.md)"};
}

}  // namespace platform
