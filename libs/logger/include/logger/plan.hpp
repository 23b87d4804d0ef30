// Read plan: tags merged into as few byte-range items as sensible (same area/DB, small gaps).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <vector>

#include "logger/sample.hpp"
#include "s7/client.hpp"
#include "s7/pdu.hpp"

namespace logger {

struct PlanOptions {
  // Tags of the same area/DB whose byte ranges are at most this many bytes apart share an item
  // (reading a few unused bytes is cheaper than another item header).
  std::uint32_t max_gap = 4;
  // A merged item grows no larger than this (PDU 240 - 18: one item fits any PDU's answer).
  // A single tag larger than this gets its own item; the client splits it.
  std::uint32_t max_item_bytes = 222;
  // Wider gaps are merged too (smallest first, within max_item_bytes) when that lowers the
  // requests per cycle at this PDU length, as s7::pack_reads packs them: with many tags the
  // items per request (PDU 960: 79) bind before the answer bytes do. 0 = off.
  std::uint16_t pdu_length = 960;
};

// One item of the plan: a byte range (or a T/C item) and the tags it carries.
struct PlanItem {
  s7::Area area = s7::Area::db;
  std::uint16_t db = 0;
  std::uint32_t offset = 0;       // first byte (T/C: first number)
  std::uint32_t length = 0;       // bytes
  std::vector<std::size_t> tags;  // indexes into the tag list
  s7::ItemSpec spec;
};

struct ReadPlan {
  std::vector<PlanItem> items;
  std::vector<s7::ItemSpec> specs() const;
};

// Builds the plan. Tags in `alone` get an item of their own (used after an item error so one
// bad tag cannot fail its neighbours). Items keep the order of first appearance per area/DB.
ReadPlan build_plan(const std::vector<TagInfo>& tags, const PlanOptions& options = {},
                    const std::set<std::size_t>& alone = {});

// Item spec of one tag read alone as a byte range (T/C: their own item).
s7::ItemSpec spec_for_tag(const s7::Address& a);

// Byte-addressed areas (DB, M, I, Q, periphery): their items are byte ranges. T and C are
// numbered 2-byte elements.
bool byte_area(s7::Area a);
// Areas whose tags may share an item with their neighbours: DB, M, I and Q. Not the periphery:
// a merged range could cover addresses without a module, and the PLC refuses the whole item.
bool mergeable_area(s7::Area a);

// True for the PLC's per-item refusals (missing DB, out of range, access denied...).
bool is_item_error(const s7::Error& e);

// Decodes tag `tag` (whose address lies inside `item`) from the item's bytes.
s7::Result<s7::Value> decode_tag(const TagInfo& tag, const PlanItem& item, const s7::Bytes& bytes);

// Text of `s7log plan`: which tags share which item, the bytes, and the requests per cycle at
// PDU 240, 480 and 960 (using s7::pack_reads, the client's own packing).
std::string describe_plan(const std::vector<TagInfo>& tags, const ReadPlan& plan);

struct AgentConfig;
// Text of `s7log plan` for a plant config: per PLC, each group's plan (what it reads, when and
// into which file), and the plan of its groups read together when their deadlines meet.
std::string describe_plant_plan(const AgentConfig& config);

}  // namespace logger
