// `s7log plan` text: tags per item and the requests per cycle at PDU 240/480/960 (s7::pack_reads).
#include <sstream>

#include "logger/agent.hpp"
#include "logger/plan.hpp"
#include "logger/rotation.hpp"
#include "util/duration.hpp"

namespace logger {

namespace {
std::string area_text(const PlanItem& it) {
  if (it.area == s7::Area::periphery) return "PI";  // a logger reads only peripheral inputs
  std::string text(s7::to_string(it.area));
  return it.area == s7::Area::db ? text + std::to_string(it.db) : text;
}

// "items 1, 2, 4 (bytes 0..221)" for one request of pack_reads.
std::string request_text(const s7::PlannedRequest& r, const ReadPlan& plan) {
  std::string out = r.chunks.size() == 1 ? "item " : "items ";
  for (std::size_t k = 0; k < r.chunks.size(); ++k) {
    const auto& c = r.chunks[k];
    if (k) out += ", ";
    out += std::to_string(c.item + 1);
    if (c.item < plan.items.size() && c.length < plan.items[c.item].length)
      out += " (bytes " + std::to_string(c.item_offset) + ".." +
             std::to_string(c.item_offset + c.length - 1u) + " of it)";
  }
  return out;
}
}  // namespace

std::string describe_plan(const std::vector<TagInfo>& tags, const ReadPlan& plan) {
  std::ostringstream o;
  std::size_t total = 0;
  for (const auto& it : plan.items) total += it.length;
  o << "Read plan: " << tags.size() << (tags.size() == 1 ? " tag" : " tags") << " in "
    << plan.items.size() << (plan.items.size() == 1 ? " item" : " items") << ", " << total
    << " bytes per cycle\n";
  for (std::size_t i = 0; i < plan.items.size(); ++i) {
    const auto& it = plan.items[i];
    o << "  item " << i + 1 << ": " << area_text(it);
    if (byte_area(it.area))
      o << " bytes " << it.offset << ".." << it.offset + it.length - 1 << " (" << it.length
        << (it.length == 1 ? " byte" : " bytes") << ")";
    else
      o << " number " << it.offset;
    o << ": ";
    for (std::size_t k = 0; k < it.tags.size(); ++k) {
      const auto& t = tags[it.tags[k]];
      o << (k ? ", " : "") << t.name << " (" << s7::to_string(t.address)
        << (t.scale ? ", scaled" : "") << ")";
    }
    o << "\n";
  }
  auto specs = plan.specs();
  o << "Requests per cycle (items packed into the negotiated PDU, large items split;\n"
       "the client pipelines up to the PLC's parallel-job limit):\n";
  for (std::uint16_t pdu : {std::uint16_t{240}, std::uint16_t{480}, std::uint16_t{960}}) {
    auto reqs = s7::pack_reads(specs, pdu);
    std::size_t req_bytes = 0, resp_bytes = 0;
    for (const auto& r : reqs) {
      req_bytes += r.request_bytes;
      resp_bytes += r.response_bytes;
    }
    o << "  PDU " << pdu << ": " << reqs.size() << (reqs.size() == 1 ? " request" : " requests")
      << " (" << req_bytes << " bytes out, " << resp_bytes << " bytes back)";
    o << "\n";
    for (std::size_t k = 0; k < reqs.size(); ++k)
      o << "    request " << k + 1 << ": " << request_text(reqs[k], plan) << "\n";
  }
  return o.str();
}

namespace {
std::string indent(const std::string& text, const std::string& by) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += by + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

std::string requests_line(const ReadPlan& plan) {
  std::string out;
  const auto specs = plan.specs();
  for (std::uint16_t pdu : {std::uint16_t{240}, std::uint16_t{480}, std::uint16_t{960}})
    out += (out.empty() ? "" : ", ") + std::to_string(s7::pack_reads(specs, pdu).size()) +
           " at PDU " + std::to_string(pdu);
  return out;
}
}  // namespace

std::string describe_plant_plan(const AgentConfig& config) {
  std::ostringstream o;
  for (const auto& plc : config.plcs) {
    std::vector<const GroupSpec*> groups;
    for (const auto& g : config.groups)
      if (g.plc == plc.name) groups.push_back(&g);
    o << "PLC " << plc.name << " (" << plc.client.describe() << "): " << groups.size()
      << (groups.size() == 1 ? " group" : " groups") << "\n";
    std::vector<TagInfo> merged;
    for (const auto* g : groups) {
      o << "  group " << g->name << ", ";
      if (g->trigger) {
        o << "a row on each rising edge of " << s7::to_string(*g->trigger) << " (polled every "
          << util::format_duration(g->interval) << ")";
        if (g->trigger_ack) o << ", acknowledged on " << s7::to_string(*g->trigger_ack);
        merged.push_back({"trigger", *g->trigger});
        if (g->trigger_ack) merged.push_back({"trigger_ack", *g->trigger_ack});
      } else {
        o << "every " << util::format_duration(g->interval);
        merged.insert(merged.end(), g->tags.begin(), g->tags.end());
      }
      o << ", into " << expand_names(g->csv.pattern, g->plc, g->name) << ":\n";
      o << indent(describe_plan(g->tags, build_plan(g->tags, config.plan)), "    ");
    }
    if (groups.size() > 1) {
      const auto plan = build_plan(merged, config.plan);
      std::size_t bytes = 0;
      for (const auto& it : plan.items) bytes += it.length;
      o << "  When the deadlines of all " << groups.size()
        << " groups meet they are read together (trigger groups: their trigger bits): "
        << merged.size() << " tags in " << plan.items.size()
        << (plan.items.size() == 1 ? " item, " : " items, ") << bytes
        << " bytes; requests: " << requests_line(plan) << "\n";
    }
  }
  return o.str();
}

}  // namespace logger
