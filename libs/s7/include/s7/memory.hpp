// Server-side PLC memory: DBs, M, I, Q, T, C areas with read-only ranges; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "s7/address.hpp"
#include "s7/frame.hpp"

namespace s7 {

// Identifies a byte range of one area.
struct AreaKey {
  Area area = Area::db;
  std::uint16_t db = 0;  // only for Area::db
  friend auto operator<=>(const AreaKey&, const AreaKey&) = default;
};

// Memory of a (fake) PLC. All methods are thread-safe (one mutex); reads/writes are atomic per
// call, so a multi-item write either sees all other writers' changes or none per item.
// Item results use S7 item return codes: 0xFF ok, 0x03 read-only, 0x05 out of range,
// 0x0A area/DB missing.
class MemoryStore {
 public:
  // Adds (or resizes, keeping contents) an area of `size` bytes, zero-filled. T and C areas hold
  // 2 bytes per timer/counter number (number n lives at byte 2n), so N timers need 2N bytes.
  // The DB number of a key is ignored for areas other than Area::db.
  void add_area(AreaKey key, std::size_t size);
  // Marks [offset, offset+length) of an existing area read-only for clients (writes get 0x03);
  // ignored when the area does not exist.
  void add_read_only(AreaKey key, std::uint32_t offset, std::uint32_t length);
  bool has_area(AreaKey key) const;
  std::size_t area_size(AreaKey key) const;

  // Client access (honours read-only ranges on write).
  std::uint8_t read(AreaKey key, std::uint32_t offset, std::span<std::uint8_t> out) const;
  std::uint8_t write(AreaKey key, std::uint32_t offset, std::span<const std::uint8_t> data);
  // Writes one bit (BIT access): only that bit changes.
  std::uint8_t write_bit(AreaKey key, std::uint32_t offset, std::uint8_t bit, bool value);
  // Could a client read [offset, offset+length)? (0xFF, 0x05 out of range, 0x0A no such area)
  std::uint8_t check_read(AreaKey key, std::uint32_t offset, std::uint64_t length) const;
  // Would a client write of [offset, offset+length) be allowed? (0xFF, 0x03, 0x05, 0x0A)
  std::uint8_t check_write(AreaKey key, std::uint32_t offset, std::uint32_t length) const;

  // Owner access (the simulation): ignores read-only ranges.
  bool poke(AreaKey key, std::uint32_t offset, std::span<const std::uint8_t> data);
  bool peek(AreaKey key, std::uint32_t offset, std::span<std::uint8_t> out) const;
  // Runs `fn` with the lock held (for a consistent multi-field update or snapshot).
  void with_lock(const std::function<void()>& fn) const;

  std::vector<AreaKey> areas() const;

 private:
  struct AreaData {
    std::vector<std::uint8_t> bytes;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> read_only;  // [begin, end)
  };
  const AreaData* find(AreaKey key) const;
  AreaData* find(AreaKey key);
  mutable std::recursive_mutex mu_;
  std::map<AreaKey, AreaData> areas_;
};

}  // namespace s7
