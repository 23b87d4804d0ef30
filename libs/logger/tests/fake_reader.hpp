// Test double of logger::Reader: DB memory in a map, injectable outages, item errors and latency.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <utility>

#include "logger/clock.hpp"
#include "logger/reader.hpp"
#include "logger/sink.hpp"

namespace logger::testing {

class FakeReader : public Reader {
 public:
  explicit FakeReader(FakeClock* clock = nullptr) : clock_(clock) {}

  // DB contents; reads outside the DB's size fail with item_out_of_range, of a missing DB
  // with item_not_found.
  std::map<std::uint16_t, s7::Bytes> dbs;
  std::set<std::uint16_t> denied_dbs;   // item_access_denied
  bool down = false;                    // connect() is refused
  int fail_reads = 0;                   // the next N reads fail as a dropped connection
  std::chrono::nanoseconds latency{0};  // each read advances the fake clock by this
  int connects = 0;
  int reads = 0;
  std::vector<std::vector<s7::ItemSpec>> requests;
  bool record_requests = true;                   // off: `requests` stays empty (long runs)
  std::function<void(int read_no)> before_read;  // e.g. to change the DB between cycles
  std::function<void()> before_connect;          // e.g. to end an outage at some time

  s7::Result<void> connect() override {
    ++connects;
    if (before_connect) before_connect();
    if (down) return s7::Error(s7::Errc::connection_refused, "connection refused");
    connected_ = true;
    return {};
  }
  void disconnect() override { connected_ = false; }
  bool connected() const override { return connected_; }
  std::string describe() const override { return "127.0.0.1:1102 (rack 0, slot 1)"; }

  std::vector<s7::ItemResult> read(std::span<const s7::ItemSpec> items) override {
    ++reads;
    if (before_read) before_read(reads);
    if (record_requests) requests.emplace_back(items.begin(), items.end());
    if (clock_ != nullptr) clock_->advance(latency);
    std::vector<s7::ItemResult> out;
    if (!connected_ || fail_reads > 0 || down) {
      if (fail_reads > 0) --fail_reads;
      connected_ = false;
      for (std::size_t i = 0; i < items.size(); ++i)
        out.emplace_back(s7::Error(s7::Errc::request_timeout, "request timed out"));
      return out;
    }
    for (const auto& it : items) {
      std::uint32_t offset = it.address >> 3;
      std::size_t len = it.count;
      if (denied_dbs.count(it.db)) {
        out.emplace_back(s7::Error(s7::Errc::item_access_denied, "access denied (0x03)"));
        continue;
      }
      auto db = dbs.find(it.db);
      if (db == dbs.end()) {
        out.emplace_back(s7::Error(s7::Errc::item_not_found,
                                   "DB" + std::to_string(it.db) + " does not exist (0x0A)"));
        continue;
      }
      if (offset + len > db->second.size()) {
        out.emplace_back(s7::Error(s7::Errc::item_out_of_range, "address out of range (0x05)"));
        continue;
      }
      out.emplace_back(s7::Bytes(db->second.begin() + offset, db->second.begin() + offset + len));
    }
    return out;
  }

  // BOOL writes into the DB memory (what the trigger handshake writes); `writes` records them.
  std::vector<std::pair<s7::Address, bool>> writes;
  std::vector<s7::Result<void>> write(std::span<const s7::Address> addresses,
                                      std::span<const s7::Value> values) override {
    std::vector<s7::Result<void>> out;
    for (std::size_t i = 0; i < addresses.size(); ++i) {
      if (!connected_ || down) {
        connected_ = false;
        out.emplace_back(s7::Error(s7::Errc::request_timeout, "request timed out"));
        continue;
      }
      const auto& a = addresses[i];
      const auto* b = values[i].elems.empty() ? nullptr : std::get_if<bool>(&values[i].elems[0]);
      auto db = dbs.find(a.db);
      if (b == nullptr || db == dbs.end() || a.offset >= db->second.size()) {
        out.emplace_back(s7::Error(s7::Errc::item_out_of_range, "address out of range (0x05)"));
        continue;
      }
      auto& byte = db->second[a.offset];
      const auto mask = static_cast<std::uint8_t>(1u << a.bit);
      byte = static_cast<std::uint8_t>(*b ? (byte | mask) : (byte & ~mask));
      writes.emplace_back(a, *b);
      out.emplace_back();
    }
    return out;
  }
  void set_bit(std::uint16_t db, std::uint32_t offset, std::uint8_t bit, bool on) {
    auto& byte = dbs[db].at(offset);
    const auto mask = static_cast<std::uint8_t>(1u << bit);
    byte = static_cast<std::uint8_t>(on ? (byte | mask) : (byte & ~mask));
  }

  // The course's DB1: counter (DINT @0), temperature 25 (INT @4), pressure 1.23 (REAL @6),
  // alarm (bit 10.0), mode_ro 7 (@11); 64 bytes.
  void course_db(std::int32_t counter, bool alarm) {
    s7::Bytes b(64, 0);
    auto u = static_cast<std::uint32_t>(counter);
    b[0] = static_cast<std::uint8_t>(u >> 24);
    b[1] = static_cast<std::uint8_t>(u >> 16);
    b[2] = static_cast<std::uint8_t>(u >> 8);
    b[3] = static_cast<std::uint8_t>(u);
    b[4] = 0;
    b[5] = 25;
    b[6] = 0x3F;  // 1.23f = 0x3F9D70A4
    b[7] = 0x9D;
    b[8] = 0x70;
    b[9] = 0xA4;
    b[10] = alarm ? 1 : 0;
    b[11] = 7;
    auto old = dbs.find(1);
    if (old != dbs.end() && old->second.size() > 64)
      std::copy(b.begin(), b.end(), old->second.begin());
    else
      dbs[1] = b;
  }

 private:
  FakeClock* clock_;
  bool connected_ = false;
};

// A sink that keeps every sample.
class MemorySink : public Sink {
 public:
  std::vector<Sample> samples;
  std::vector<TagInfo> tags;
  bool closed = false;
  s7::Result<void> open(const std::vector<TagInfo>& t) override {
    tags = t;
    return {};
  }
  s7::Result<void> write(const Sample& s) override {
    samples.push_back(s);
    return {};
  }
  void close() override { closed = true; }
};

}  // namespace logger::testing
