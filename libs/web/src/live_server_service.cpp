// create_live_server(): LiveServer behind the LiveService interface (live_service.hpp), for the
// module's entry point or, where the server is linked into the program, load_live_service().
#include "web/live_service.hpp"
#include "web/server.hpp"

namespace web {

namespace {

class Service final : public LiveService {
 public:
  // The Host names beyond the built-in ones come from $S7LOG_LIVE_ALLOWED_HOSTS (docs/live.md).
  Service(LiveFeed& feed, const LiveServiceOptions& options)
      : server_(feed, options.stats, http_limits_from_env(), options.token) {}
  s7::Result<std::uint16_t> start(const std::string& host, std::uint16_t port) override {
    return server_.start(host, port);
  }
  void stop() override { server_.stop(); }

 private:
  LiveServer server_;
};

}  // namespace

std::unique_ptr<LiveService> create_live_server(LiveFeed& feed, const LiveServiceOptions& options) {
  return std::make_unique<Service>(feed, options);
}

}  // namespace web
