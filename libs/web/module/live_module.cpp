// s7log-live.so: the live page's HTTP server (LiveServer, cpp-httplib) as a dlopen()-able module.
// Its only exports are the two C entry points below (everything else is hidden at link time).
#include "web/live_service.hpp"
#include "web/server.hpp"

namespace {

class Service final : public web::LiveService {
 public:
  // The Host names beyond the built-in ones come from $S7LOG_LIVE_ALLOWED_HOSTS (docs/live.md).
  Service(web::LiveFeed& feed, const logger::Stats& stats)
      : server_(feed, stats, web::http_limits_from_env()) {}
  s7::Result<std::uint16_t> start(const std::string& host, std::uint16_t port) override {
    return server_.start(host, port);
  }
  void stop() override { server_.stop(); }

 private:
  web::LiveServer server_;
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const char* s7log_live_abi() {
  static const std::string tag = web::live_module_abi();
  return tag.c_str();
}

extern "C" __attribute__((visibility("default"))) web::LiveService* s7log_live_create(
    web::LiveFeed* feed, const logger::Stats* stats) {
  return new Service(*feed, *stats);
}
