// Fuzz target: any bytes as a spooled sample (decode_sample) and as a spool segment file that
// Spool::open recovers: a sample or an error, a usable spool, never a crash.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <span>
#include <string>

#include "logger/sample_codec.hpp"
#include "logger/spool.hpp"

namespace {

namespace fs = std::filesystem;

// One folder per process, emptied before each input.
const fs::path& work_dir() {
  static const fs::path dir = [] {
    std::random_device rd;
    return fs::temp_directory_path() / ("s7log_fuzz_spool_" + std::to_string(rd()));
  }();
  return dir;
}

// The folder's name is made while kCleanup is constructed, so it is destroyed after kCleanup
// (statics go in the reverse order of their construction; the other way round the destructor
// read a destroyed path: a crash at exit under Windows).
struct Cleanup {
  Cleanup() { (void)work_dir(); }
  ~Cleanup() {
    std::error_code ec;
    fs::remove_all(work_dir(), ec);
  }
};
const Cleanup kCleanup;

void check_decode(std::span<const std::uint8_t> bytes) {
  auto s = logger::decode_sample(bytes);
  if (!s) {
    if (!s.error().is(s7::Errc::invalid_argument)) __builtin_trap();
    return;
  }
  // Only the canonical encoding is accepted.
  const auto again = logger::encode_sample(*s);
  if (again.size() != bytes.size() || !std::equal(again.begin(), again.end(), bytes.begin()))
    __builtin_trap();
}

void check_spool(std::span<const std::uint8_t> bytes) {
  const fs::path dir = work_dir();
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  {
    std::ofstream out(dir / "000000000001.seg", std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
  }
  logger::SpoolOptions o;
  o.dir = dir.string();
  auto spool = logger::Spool::open(o);
  if (!spool) __builtin_trap();  // damage is recovered from, not an error
  logger::Spool& s = **spool;
  if (s.records() != s.recovery().records) __builtin_trap();
  if (s.bytes() > bytes.size()) __builtin_trap();
  auto all = s.peek(SIZE_MAX, SIZE_MAX);
  if (!all || all->size() != s.records()) __builtin_trap();
  if (!all->empty() && s.oldest_ts_ms() != all->front().ts_unix_ms) __builtin_trap();
  // Appends go on after what was kept, and come back after it.
  const std::uint8_t p[] = {1, 2, 3};
  if (!s.append(7, p)) __builtin_trap();
  auto more = s.peek(SIZE_MAX, SIZE_MAX);
  if (!more || more->size() != all->size() + 1 || more->back().ts_unix_ms != 7) __builtin_trap();
  if (!s.pop(more->size()) || s.records() != 0 || s.bytes() != 0) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  check_decode(bytes);
  check_spool(bytes);
  return 0;
}
