// SZL record layouts for the fake PLC (see szl.hpp and the fact sheet, section 6.2).
#include "szl.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <string>

#include "big_endian.hpp"
#include "platform/time.hpp"

namespace s7::szl {
namespace {

using detail::put16;
using detail::put32;
// Text field of exactly `width` bytes, padded with `pad`.
void put_text(Bytes& b, const std::string& s, std::size_t width, std::uint8_t pad) {
  for (std::size_t i = 0; i < width; ++i)
    b.push_back(i < s.size() ? static_cast<std::uint8_t>(s[i]) : pad);
}
std::uint8_t bcd(int v) {
  return static_cast<std::uint8_t>(((v / 10) % 10) << 4 | (v % 10));
}

void header(Bytes& b, std::uint16_t record_length, std::uint16_t records) {
  b.clear();
  put16(b, record_length);  // LENTHDR
  put16(b, records);        // N_DR
}

// 0x0011: records index(2) + MLFB(20) + BGTyp(2) + Ausbg(2) + Ausbe(2), 28 bytes. Snap7 takes
// the version from the last 3 bytes of the answer, python-snap7 from record 0x0007: so 0x0007
// ('V' major minor patch) goes last.
void order_code(const CpuIdentity& id, Bytes& b) {
  header(b, 28, 4);
  // Module, basic hardware, basic firmware ('A'), firmware ('V').
  const std::uint16_t indices[] = {kSzlIndexModule, 0x0006, 0x0081, kSzlIndexFirmware};
  for (std::uint16_t index : indices) {
    put16(b, index);
    const bool firmware = index == kSzlIndexFirmware || index == 0x0081;
    put_text(b, firmware ? std::string() : id.order_code, 20, 0x20);
    put16(b, 0x0000);  // BGTyp
    if (firmware) {
      b.push_back(index == kSzlIndexFirmware ? 'V' : 'A');
      b.push_back(id.firmware[0]);
      b.push_back(id.firmware[1]);
      b.push_back(id.firmware[2]);
    } else {
      put16(b, 0x0001);  // Ausbg: hardware release
      put16(b, 0x0001);  // Ausbe
    }
  }
}

// 0x001C index 0: records index(2) + text(32), 34 bytes, in the order clients parse them by
// offset: 1 AS name, 2 module name, 3 plant id, 4 copyright, 5 serial number, 7 module type.
void identity(const CpuIdentity& id, Bytes& b) {
  header(b, 34, 6);
  const std::pair<std::uint16_t, const std::string*> records[] = {
      {1, &id.as_name},   {2, &id.module_name},   {3, &id.plant_id},
      {4, &id.copyright}, {5, &id.serial_number}, {7, &id.module_type}};
  for (const auto& [index, text] : records) {
    put16(b, index);
    put_text(b, *text, 32, 0x00);
  }
}

// 0x0424: one 20-byte record ereig(2) ae(1) bzu-id(1) res(4) anlinfo(4) time(8); bzu-id 0x08
// RUN, 0x04 STOP; time = local time in BCD: yy mm dd hh mi ss, 00, weekday (0 = Sunday).
void state(CpuState s, Bytes& b) {
  header(b, 20, 1);
  b.insert(b.end(), {0x51, 0x44, 0xFF, static_cast<std::uint8_t>(s)});
  b.insert(b.end(), 8, 0x00);
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  const std::tm tm = platform::local_time(now);
  b.insert(b.end(), {bcd(tm.tm_year % 100), bcd(tm.tm_mon + 1), bcd(tm.tm_mday), bcd(tm.tm_hour),
                     bcd(tm.tm_min), bcd(tm.tm_sec), 0x00, bcd(tm.tm_wday)});
}

// 0x0131 index 1: one 40-byte record: index(2) max PDU(2) max connections(2) MPI rate(4)
// bus rate(4), rest 0. Snap7 reads offsets 6, 8, 10, 14 (from LENTHDR).
void communication(const Context& ctx, Bytes& b) {
  header(b, 40, 1);
  put16(b, 0x0001);
  put16(b, ctx.pdu);
  put16(b, static_cast<std::uint16_t>(std::min<std::size_t>(ctx.max_connections, 0xFFFF)));
  put32(b, 187500);  // MPI rate
  put32(b, 187500);  // bus rate
  b.insert(b.end(), 40 - 14, 0x00);
}

}  // namespace

bool build(std::uint16_t id, std::uint16_t index, const Context& ctx, Answer& out) {
  switch (id) {
    case kSzlIdList: {
      const std::uint16_t ids[] = {kSzlIdList, kSzlModuleId, kSzlComponentId, kSzlCommunication,
                                   kSzlCpuState};
      header(out.bytes, 2, static_cast<std::uint16_t>(std::size(ids)));
      for (auto v : ids) put16(out.bytes, v);
      return true;
    }
    case kSzlModuleId:
      order_code(ctx.identity, out.bytes);
      return true;  // index ignored, like Snap7
    case kSzlComponentId:
      if (index != 0) return false;
      identity(ctx.identity, out.bytes);
      return true;
    case kSzlCommunication:
      if (index != 1) return false;
      communication(ctx, out.bytes);
      return true;
    case kSzlCpuState:
      state(ctx.state, out.bytes);
      return true;
    default:
      return false;
  }
}

}  // namespace s7::szl
