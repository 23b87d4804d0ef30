// Read plan: merge nearby tags into byte-range items; describe the packing for `s7log plan`.
#include "logger/plan.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace logger {

namespace {
bool byte_area(s7::Area a) {
  return a == s7::Area::db || a == s7::Area::inputs || a == s7::Area::outputs ||
         a == s7::Area::merkers;
}

}  // namespace

bool is_item_error(const s7::Error& e) {
  if (e.code.category() != s7::category()) return false;
  int v = e.code.value();
  return v >= static_cast<int>(s7::Errc::item_hardware_fault) &&
         v <= static_cast<int>(s7::Errc::item_unknown);
}

s7::ItemSpec spec_for_tag(const s7::Address& a) {
  if (!byte_area(a.area)) return s7::item_spec_for(a);
  s7::ItemSpec s;
  s.syntax_id = 0x10;
  s.transport = static_cast<std::uint8_t>(s7::ItemTransport::byte);
  s.count = static_cast<std::uint16_t>(s7::byte_size(a));
  s.db = a.area == s7::Area::db ? a.db : 0;
  s.area = static_cast<std::uint8_t>(a.area);
  s.address = a.offset * 8;  // S7ANY address: byte * 8 + bit (bit 0 for BYTE items)
  return s;
}

std::vector<s7::ItemSpec> ReadPlan::specs() const {
  std::vector<s7::ItemSpec> out;
  out.reserve(items.size());
  for (const auto& it : items) out.push_back(it.spec);
  return out;
}

ReadPlan build_plan(const std::vector<TagInfo>& tags, const PlanOptions& options,
                    const std::set<std::size_t>& alone) {
  ReadPlan plan;
  // Sort tag indexes by (area, db, offset); T/C and lone tags become single items.
  std::vector<std::size_t> order(tags.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    const auto& a = tags[x].address;
    const auto& b = tags[y].address;
    return std::tuple(static_cast<int>(a.area), a.db, a.offset) <
           std::tuple(static_cast<int>(b.area), b.db, b.offset);
  });
  PlanItem* open = nullptr;
  for (std::size_t idx : order) {
    const auto& a = tags[idx].address;
    auto len = static_cast<std::uint32_t>(s7::byte_size(a));
    std::uint16_t db = a.area == s7::Area::db ? a.db : 0;
    bool mergeable = byte_area(a.area) && alone.count(idx) == 0;
    if (mergeable && open != nullptr && open->area == a.area && open->db == db &&
        a.offset <= open->offset + open->length + options.max_gap) {
      std::uint32_t end = std::max(open->offset + open->length, a.offset + len);
      if (end - open->offset <= options.max_item_bytes) {
        open->length = end - open->offset;
        open->tags.push_back(idx);
        continue;
      }
    }
    PlanItem item;
    item.area = a.area;
    item.db = db;
    item.offset = a.offset;
    item.length = byte_area(a.area) ? len : static_cast<std::uint32_t>(s7::byte_size(a));
    item.tags.push_back(idx);
    plan.items.push_back(std::move(item));
    open = mergeable ? &plan.items.back() : nullptr;
  }
  for (auto& it : plan.items) {
    if (byte_area(it.area)) {
      s7::Address range;
      range.area = it.area;
      range.db = it.db;
      range.offset = it.offset;
      range.width = s7::Width::B;
      range.type = s7::DataType::Byte;
      range.count = it.length;
      it.spec = spec_for_tag(range);
    } else {
      it.spec = spec_for_tag(tags[it.tags.front()].address);
    }
  }
  return plan;
}

s7::Result<s7::Value> decode_tag(const TagInfo& tag, const PlanItem& item, const s7::Bytes& bytes) {
  const auto& a = tag.address;
  std::size_t len = s7::byte_size(a);
  std::size_t start = byte_area(a.area) ? a.offset - item.offset : 0;
  if (start + len > bytes.size())
    return s7::Error(s7::Errc::unexpected_response, "tag '" + tag.name + "': the PLC answered " +
                                                        std::to_string(bytes.size()) + " bytes, " +
                                                        std::to_string(start + len) + " expected");
  return s7::decode_value(a, std::span<const std::uint8_t>(bytes.data() + start, len));
}

}  // namespace logger
