// Read plan: merge nearby tags into byte-range items; describe the packing for `s7log plan`.
#include "logger/plan.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace logger {

bool mergeable_area(s7::Area a) {
  return a == s7::Area::db || a == s7::Area::inputs || a == s7::Area::outputs ||
         a == s7::Area::merkers;
}

bool byte_area(s7::Area a) {
  return mergeable_area(a) || a == s7::Area::periphery;
}

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

namespace {

// A run of tags merged at max_gap: the unit the wider merging joins.
struct Segment {
  s7::Area area = s7::Area::db;
  std::uint16_t db = 0;
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  std::vector<std::size_t> tags;
  bool mergeable = false;
};

s7::ItemSpec item_spec(const PlanItem& it, const std::vector<TagInfo>& tags) {
  if (!byte_area(it.area)) return spec_for_tag(tags[it.tags.front()].address);
  s7::Address range;
  range.area = it.area;
  range.db = it.db;
  range.offset = it.offset;
  range.width = s7::Width::B;
  range.type = s7::DataType::Byte;
  range.count = it.length;
  return spec_for_tag(range);
}

// Items from segments, joining segment i with i + 1 where join[i] is set.
std::vector<PlanItem> join_segments(const std::vector<Segment>& segs,
                                    const std::vector<bool>& join) {
  std::vector<PlanItem> items;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const Segment& s = segs[i];
    if (i > 0 && join[i - 1]) {
      PlanItem& open = items.back();
      open.length = std::max(open.offset + open.length, s.offset + s.length) - open.offset;
      open.tags.insert(open.tags.end(), s.tags.begin(), s.tags.end());
      continue;
    }
    PlanItem item;
    item.area = s.area;
    item.db = s.db;
    item.offset = s.offset;
    item.length = s.length;
    item.tags = s.tags;
    items.push_back(std::move(item));
  }
  return items;
}

std::size_t requests_at(const std::vector<PlanItem>& items, const std::vector<TagInfo>& tags,
                        std::uint16_t pdu) {
  std::vector<s7::ItemSpec> specs;
  specs.reserve(items.size());
  for (const auto& it : items) specs.push_back(item_spec(it, tags));
  return s7::pack_reads(specs, pdu).size();
}

}  // namespace

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
  std::vector<Segment> segs;
  Segment* open = nullptr;
  for (std::size_t idx : order) {
    const auto& a = tags[idx].address;
    auto len = static_cast<std::uint32_t>(s7::byte_size(a));
    std::uint16_t db = a.area == s7::Area::db ? a.db : 0;
    bool mergeable = mergeable_area(a.area) && alone.count(idx) == 0;
    if (mergeable && open != nullptr && open->area == a.area && open->db == db &&
        a.offset <= open->offset + open->length + options.max_gap) {
      std::uint32_t end = std::max(open->offset + open->length, a.offset + len);
      if (end - open->offset <= options.max_item_bytes) {
        open->length = end - open->offset;
        open->tags.push_back(idx);
        continue;
      }
    }
    Segment seg;
    seg.area = a.area;
    seg.db = db;
    seg.offset = a.offset;
    seg.length = len;
    seg.tags.push_back(idx);
    seg.mergeable = mergeable;
    segs.push_back(std::move(seg));
    open = mergeable ? &segs.back() : nullptr;
  }

  // Wider gaps, smallest first: each join is kept only as part of the best prefix found. The
  // answer bytes never shrink with a join of a gap of 4 bytes or more (the item header saved), so
  // once their bound alone reaches the best request count no longer prefix can do better.
  std::vector<bool> join(segs.empty() ? 0 : segs.size() - 1, false);
  if (options.pdu_length > 18 && segs.size() > 1) {
    std::vector<std::size_t> cand;
    for (std::size_t i = 0; i + 1 < segs.size(); ++i) {
      const Segment& x = segs[i];
      const Segment& y = segs[i + 1];
      if (x.mergeable && y.mergeable && x.area == y.area && x.db == y.db) cand.push_back(i);
    }
    auto gap = [&](std::size_t i) {
      return segs[i + 1].offset - (segs[i].offset + segs[i].length);
    };
    std::stable_sort(cand.begin(), cand.end(),
                     [&](std::size_t x, std::size_t y) { return gap(x) < gap(y); });
    auto best_join = join;
    std::size_t best = requests_at(join_segments(segs, join), tags, options.pdu_length);
    const std::size_t budget = options.pdu_length - 14u;
    std::size_t k = 0;
    while (k < cand.size() && best > 1) {
      // Join every candidate of this gap width that keeps the joined item within the cap.
      const auto width = gap(cand[k]);
      bool changed = false;
      for (; k < cand.size() && gap(cand[k]) == width; ++k) {
        const std::size_t i = cand[k];
        std::size_t first = i;
        while (first > 0 && join[first - 1]) --first;
        std::size_t last = i + 1;
        while (last < join.size() && join[last]) ++last;
        std::uint32_t end = 0;
        for (std::size_t j = first; j <= last; ++j)
          end = std::max(end, segs[j].offset + segs[j].length);
        if (end - segs[first].offset > options.max_item_bytes) continue;
        join[i] = true;
        changed = true;
      }
      if (!changed) continue;
      auto items = join_segments(segs, join);
      std::size_t bytes = 0;
      for (const auto& it : items) bytes += 4 + it.length;
      if (width >= 4 && (bytes + budget - 1) / budget >= best) break;
      if (std::size_t r = requests_at(items, tags, options.pdu_length); r < best) {
        best = r;
        best_join = join;
      }
    }
    join = std::move(best_join);
  }
  plan.items = join_segments(segs, join);
  for (auto& it : plan.items) it.spec = item_spec(it, tags);
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
  auto v = s7::decode_value(a, std::span<const std::uint8_t>(bytes.data() + start, len));
  if (v && tag.scale && v->elems.size() == 1)
    return s7::Value(s7::Scalar(tag.scale->apply(s7::to_double(v->elems[0]))));
  return v;
}

}  // namespace logger
