// What a network output (PostgreSQL, MQTT) does; NetworkSink around it batches, spools, replays.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "logger/sample.hpp"
#include "logger/stats.hpp"
#include "s7/error.hpp"

namespace logger {

// Contract (all calls from one thread: the output's queue thread):
// - describe(): the server for messages, e.g. "PostgreSQL s7log@127.0.0.1:5432/plant". Never the
//   password.
// - open_group(): called once per group before any sample of it (also when not connected): the
//   delivery remembers the group's tags. It does no I/O that can fail for a server that is down.
// - connect(): (re)connects and prepares what the groups need (tables, births). Called by
//   NetworkSink when deliver() is due and connected() is false, with backoff between tries.
//   Errors say which server and what to check.
// - deliver(): all or nothing. Success means the server has every sample of `batch` for good
//   (PostgreSQL: committed; MQTT: acknowledged at the QoS asked for). On error the delivery
//   drops its connection (connected() false) and NetworkSink spools the batch and tries it again
//   later, so a delivery must tolerate getting a sample it already has (PostgreSQL: a unique key
//   and ON CONFLICT DO NOTHING; MQTT QoS 1: a duplicate message is possible).
//   `historical`: the samples come from the spool (Sparkplug: is_historical).
// - link(): a PLC's link changed (Sparkplug: DDEATH / DBIRTH). Optional.
// - poll(): called now and then (at least every second) on the queue thread while the sink is
//   open: incoming messages (Sparkplug's rebirth request), keepalive. Optional.
class Delivery {
 public:
  virtual ~Delivery() = default;
  virtual std::string describe() const = 0;
  virtual s7::Result<void> open_group(const std::string& plc, const std::string& group,
                                      const std::vector<TagInfo>& tags) = 0;
  virtual bool connected() const = 0;
  virtual s7::Result<void> connect() = 0;
  virtual void disconnect() = 0;
  virtual s7::Result<void> deliver(std::span<const Sample* const> batch, bool historical) = 0;
  // After a deliver() that failed: how many samples at the start of its batch the server had
  // acknowledged all the same (MQTT: PUBACKs that came before the connection broke). They are
  // not spooled again, so a broken connection repeats as few samples as it can. Default 0.
  virtual std::size_t acknowledged() const { return 0; }
  virtual void link(const std::string& plc, LinkState state) {
    (void)plc;
    (void)state;
  }
  virtual void poll() {}
};

}  // namespace logger
