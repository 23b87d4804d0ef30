// load_live_service() where the server is linked into the program (Windows: no module to load;
// see live_service.hpp and the S7LOG_LIVE_AS_MODULE option in libs/web/CMakeLists.txt).
#include "web/live_service.hpp"

namespace web {

s7::Result<std::unique_ptr<LiveService>> load_live_service(LiveFeed& feed,
                                                           const LiveServiceOptions& options) {
  return create_live_server(feed, options);
}

}  // namespace web
