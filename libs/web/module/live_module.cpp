// s7log-live.so: the live page's HTTP server (LiveServer, our own HTTP/1.1 layer) as a
// dlopen()-able module. Its only exports are the two C entry points below (everything else is
// hidden at link time).
#include "web/live_service.hpp"

extern "C" __attribute__((visibility("default"))) const char* s7log_live_abi() {
  static const std::string tag = web::live_module_abi();
  return tag.c_str();
}

extern "C" __attribute__((visibility("default"))) web::LiveService* s7log_live_create(
    web::LiveFeed* feed, const web::LiveServiceOptions* options) {
  return web::create_live_server(*feed, *options).release();
}
