// Google Benchmark micro-benchmarks: S7 PDU encode/decode per kind, FrameReader feed/next, and
// the logger's CSV row formatting. Numbers go to docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "logger/csv.hpp"
#include "logger/sample.hpp"
#include "s7/address.hpp"
#include "s7/frame.hpp"
#include "s7/pdu.hpp"
#include "s7/value.hpp"

namespace {

s7::ItemSpec db_item(std::uint16_t db, std::uint32_t offset, std::uint16_t count) {
  return s7::byte_range_spec(s7::Area::db, db, offset, count);
}

s7::Bytes pattern(std::size_t n, std::uint32_t offset = 0) {
  s7::Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(offset + i);
  return b;
}

// The PDUs measured, built once.
s7::Pdu setup_request() {
  return s7::make_setup_request(1, {8, 8, 960});
}
s7::Pdu read_request_1() {
  return s7::make_read_request(2, {db_item(1, 0, 12)});
}
s7::Pdu read_response_1() {
  return s7::make_read_response(2, {s7::make_data_item(db_item(1, 0, 12), pattern(12))});
}
std::vector<s7::ItemSpec> ten_items() {
  std::vector<s7::ItemSpec> items;
  for (std::uint32_t i = 0; i < 10; ++i) items.push_back(db_item(2, i * 100, 4));
  return items;
}
s7::Pdu read_request_10() {
  return s7::make_read_request(3, ten_items());
}
s7::Pdu read_response_10() {
  std::vector<s7::DataItem> data;
  for (const auto& it : ten_items()) data.push_back(s7::make_data_item(it, pattern(4)));
  return s7::make_read_response(3, std::move(data));
}
s7::Pdu read_response_large() {  // one 942-byte item: a full 960-byte PDU
  return s7::make_read_response(4, {s7::make_data_item(db_item(2, 0, 942), pattern(942))});
}
s7::Pdu write_request() {
  auto spec = db_item(1, 20, 4);
  return s7::make_write_request(5, {spec}, {s7::make_data_item(spec, pattern(4))});
}
s7::Pdu write_response() {
  return s7::make_write_response(5, {0xFF});
}
s7::Pdu szl_request() {
  return s7::make_szl_request(6, 0x0011, 0x0000);
}
s7::Pdu szl_response() {
  return s7::make_szl_response(6, 1, 0x0011, 0x0000, pattern(120));
}

using Maker = s7::Pdu (*)();

void encode(benchmark::State& state, Maker make) {
  const s7::Pdu pdu = make();
  for (auto _ : state) {
    auto bytes = s7::encode_pdu(pdu);
    benchmark::DoNotOptimize(bytes.data());
  }
}

void decode(benchmark::State& state, Maker make) {
  const s7::Bytes bytes = s7::encode_pdu(make());
  for (auto _ : state) {
    auto pdu = s7::decode_pdu(bytes);
    benchmark::DoNotOptimize(pdu);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}

BENCHMARK_CAPTURE(encode, setup_request, setup_request);
BENCHMARK_CAPTURE(decode, setup_request, setup_request);
BENCHMARK_CAPTURE(encode, read_request_1, read_request_1);
BENCHMARK_CAPTURE(decode, read_request_1, read_request_1);
BENCHMARK_CAPTURE(encode, read_response_1, read_response_1);
BENCHMARK_CAPTURE(decode, read_response_1, read_response_1);
BENCHMARK_CAPTURE(encode, read_request_10, read_request_10);
BENCHMARK_CAPTURE(decode, read_request_10, read_request_10);
BENCHMARK_CAPTURE(encode, read_response_10, read_response_10);
BENCHMARK_CAPTURE(decode, read_response_10, read_response_10);
BENCHMARK_CAPTURE(encode, read_response_942B, read_response_large);
BENCHMARK_CAPTURE(decode, read_response_942B, read_response_large);
BENCHMARK_CAPTURE(encode, write_request, write_request);
BENCHMARK_CAPTURE(decode, write_request, write_request);
BENCHMARK_CAPTURE(encode, write_response, write_response);
BENCHMARK_CAPTURE(decode, write_response, write_response);
BENCHMARK_CAPTURE(encode, szl_request, szl_request);
BENCHMARK_CAPTURE(decode, szl_request, szl_request);
BENCHMARK_CAPTURE(encode, szl_response, szl_response);
BENCHMARK_CAPTURE(decode, szl_response, szl_response);

// FrameReader: one TPKT/DT frame per feed (the common case), and a 64-frame burst fed in
// 1,460-byte TCP segments (frames split across chunks).
void frame_reader_one(benchmark::State& state, Maker make) {
  const s7::Bytes frame = s7::encode_data_frame(s7::encode_pdu(make()));
  s7::FrameReader reader;
  for (auto _ : state) {
    reader.feed(frame);
    auto f = reader.next();
    benchmark::DoNotOptimize(f);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}
BENCHMARK_CAPTURE(frame_reader_one, read_request_1, read_request_1);
BENCHMARK_CAPTURE(frame_reader_one, read_response_942B, read_response_large);

void frame_reader_segments(benchmark::State& state) {
  s7::Bytes stream;
  const s7::Bytes pdu = s7::encode_pdu(read_response_10());
  for (int i = 0; i < 64; ++i) s7::append_data_frame(stream, pdu);
  s7::FrameReader reader;
  for (auto _ : state) {
    int frames = 0;
    for (std::size_t pos = 0; pos < stream.size(); pos += 1460) {
      std::size_t n = std::min<std::size_t>(1460, stream.size() - pos);
      reader.feed(s7::ByteView(stream.data() + pos, n));
      while (true) {
        auto f = reader.next();
        if (!f || !*f) break;
        ++frames;
      }
    }
    benchmark::DoNotOptimize(frames);
  }
  state.SetItemsProcessed(state.iterations() * 64);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stream.size()));
}
BENCHMARK(frame_reader_segments);

// CSV row of the course's five tags (DINT, INT, REAL, BOOL, BYTE) in both dialects.
void csv_row(benchmark::State& state, logger::Dialect dialect) {
  logger::CsvFormat format;
  format.dialect = dialect;
  logger::Sample s;
  s.ts = std::chrono::system_clock::time_point(std::chrono::seconds(1'795'000'000));
  s.values.push_back({s7::Value(s7::Scalar(std::int64_t{123456})), logger::Quality::ok});
  s.values.push_back({s7::Value(s7::Scalar(std::int64_t{25})), logger::Quality::ok});
  s.values.push_back({s7::Value(s7::Scalar(1.23f)), logger::Quality::ok});
  s.values.push_back({s7::Value(s7::Scalar(true)), logger::Quality::ok});
  s.values.push_back({s7::Value(s7::Scalar(std::uint64_t{7})), logger::Quality::ok});
  for (auto _ : state) {
    auto row = format.row(s);
    benchmark::DoNotOptimize(row.data());
  }
}
BENCHMARK_CAPTURE(csv_row, course, logger::Dialect::course);
BENCHMARK_CAPTURE(csv_row, excel_da, logger::Dialect::excel_da);

}  // namespace

BENCHMARK_MAIN();
