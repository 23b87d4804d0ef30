// `s7log plan` text: tags per item and the requests per cycle at PDU 240/480/960 (s7::pack_reads).
#include <sstream>

#include "logger/plan.hpp"

namespace logger {

namespace {
bool byte_area(s7::Area a) {
  return a == s7::Area::db || a == s7::Area::inputs || a == s7::Area::outputs ||
         a == s7::Area::merkers;
}

std::string area_text(const PlanItem& it) {
  switch (it.area) {
    case s7::Area::db:
      return "DB" + std::to_string(it.db);
    case s7::Area::inputs:
      return "I";
    case s7::Area::outputs:
      return "Q";
    case s7::Area::merkers:
      return "M";
    case s7::Area::timers:
      return "T";
    case s7::Area::counters:
      return "C";
  }
  return "?";
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
      o << (k ? ", " : "") << t.name << " (" << s7::to_string(t.address) << ")";
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
    if (reqs.size() > 1) {
      o << ":";
      for (const auto& r : reqs) o << " [" << r.chunks.size() << " items]";
    }
    o << "\n";
  }
  return o.str();
}

}  // namespace logger
