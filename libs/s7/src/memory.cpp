// MemoryStore: the byte areas of a (fake) PLC, with read-only ranges and S7 item return codes.
#include "s7/memory.hpp"

#include <algorithm>
#include <cstring>

#include "s7/pdu.hpp"

namespace s7 {
namespace {

// Normalises a key: the DB number only matters for Area::db.
AreaKey normal(AreaKey key) {
  if (key.area != Area::db) key.db = 0;
  return key;
}

bool in_range(std::size_t size, std::uint32_t offset, std::size_t length) {
  return static_cast<std::uint64_t>(offset) + length <= size;
}

}  // namespace

void MemoryStore::add_area(AreaKey key, std::size_t size) {
  std::lock_guard lock(mu_);
  areas_[normal(key)].bytes.resize(size, 0);
}

void MemoryStore::add_read_only(AreaKey key, std::uint32_t offset, std::uint32_t length) {
  std::lock_guard lock(mu_);
  AreaData* a = find(key);
  if (a == nullptr || length == 0) return;
  a->read_only.emplace_back(offset, static_cast<std::uint32_t>(std::min<std::uint64_t>(
                                        static_cast<std::uint64_t>(offset) + length, UINT32_MAX)));
}

bool MemoryStore::has_area(AreaKey key) const {
  std::lock_guard lock(mu_);
  return find(key) != nullptr;
}

std::size_t MemoryStore::area_size(AreaKey key) const {
  std::lock_guard lock(mu_);
  const AreaData* a = find(key);
  return a == nullptr ? 0 : a->bytes.size();
}

std::uint8_t MemoryStore::read(AreaKey key, std::uint32_t offset,
                               std::span<std::uint8_t> out) const {
  std::lock_guard lock(mu_);
  const AreaData* a = find(key);
  if (a == nullptr) return kItemNotFound;
  if (!in_range(a->bytes.size(), offset, out.size())) return kItemOutOfRange;
  if (!out.empty()) std::memcpy(out.data(), a->bytes.data() + offset, out.size());
  return kItemSuccess;
}

std::uint8_t MemoryStore::check_read(AreaKey key, std::uint32_t offset,
                                     std::uint64_t length) const {
  std::lock_guard lock(mu_);
  const AreaData* a = find(key);
  if (a == nullptr) return kItemNotFound;
  if (static_cast<std::uint64_t>(offset) + length > a->bytes.size()) return kItemOutOfRange;
  return kItemSuccess;
}

std::uint8_t MemoryStore::check_write(AreaKey key, std::uint32_t offset,
                                      std::uint32_t length) const {
  std::lock_guard lock(mu_);
  const AreaData* a = find(key);
  if (a == nullptr) return kItemNotFound;
  if (!in_range(a->bytes.size(), offset, length)) return kItemOutOfRange;
  const std::uint64_t end = static_cast<std::uint64_t>(offset) + length;
  for (const auto& [ro_begin, ro_end] : a->read_only) {
    if (offset < ro_end && ro_begin < end) return kItemAccessDenied;
  }
  return kItemSuccess;
}

std::uint8_t MemoryStore::write(AreaKey key, std::uint32_t offset,
                                std::span<const std::uint8_t> data) {
  std::lock_guard lock(mu_);
  // The whole item is checked first: a refused item stores nothing.
  const std::uint8_t code = check_write(key, offset, static_cast<std::uint32_t>(data.size()));
  if (code != kItemSuccess) return code;
  if (!data.empty()) std::memcpy(find(key)->bytes.data() + offset, data.data(), data.size());
  return kItemSuccess;
}

std::uint8_t MemoryStore::write_bit(AreaKey key, std::uint32_t offset, std::uint8_t bit,
                                    bool value) {
  if (bit > 7) return kItemOutOfRange;
  std::lock_guard lock(mu_);
  const std::uint8_t code = check_write(key, offset, 1);
  if (code != kItemSuccess) return code;
  std::uint8_t& b = find(key)->bytes[offset];
  const auto mask = static_cast<std::uint8_t>(1u << bit);
  b = value ? static_cast<std::uint8_t>(b | mask) : static_cast<std::uint8_t>(b & ~mask);
  return kItemSuccess;
}

bool MemoryStore::poke(AreaKey key, std::uint32_t offset, std::span<const std::uint8_t> data) {
  std::lock_guard lock(mu_);
  AreaData* a = find(key);
  if (a == nullptr || !in_range(a->bytes.size(), offset, data.size())) return false;
  if (!data.empty()) std::memcpy(a->bytes.data() + offset, data.data(), data.size());
  return true;
}

bool MemoryStore::peek(AreaKey key, std::uint32_t offset, std::span<std::uint8_t> out) const {
  return read(key, offset, out) == kItemSuccess;
}

void MemoryStore::with_lock(const std::function<void()>& fn) const {
  std::lock_guard lock(mu_);
  fn();
}

std::vector<AreaKey> MemoryStore::areas() const {
  std::lock_guard lock(mu_);
  std::vector<AreaKey> keys;
  keys.reserve(areas_.size());
  for (const auto& entry : areas_) keys.push_back(entry.first);
  return keys;
}

const MemoryStore::AreaData* MemoryStore::find(AreaKey key) const {
  auto it = areas_.find(normal(key));
  return it == areas_.end() ? nullptr : &it->second;
}

MemoryStore::AreaData* MemoryStore::find(AreaKey key) {
  auto it = areas_.find(normal(key));
  return it == areas_.end() ? nullptr : &it->second;
}

}  // namespace s7
