// Golden CSV cases: tests/cases/<case>/{config.toml, expected.csv} through a fake PLC and clock.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <regex>

#include "fake_reader.hpp"
#include "logger/config.hpp"
#include "logger/csv_sink.hpp"
#include "logger/logger.hpp"
#include "logger/tag.hpp"
#include "platform/time.hpp"
#include "test_dir.hpp"

namespace fs = std::filesystem;

namespace {

// Case parameters live in comments of config.toml: `# slots = 6`, `# start = <unix seconds>`.
std::int64_t param(const std::string& text, const std::string& key, std::int64_t fallback) {
  std::smatch m;
  std::regex re("#\\s*" + key + "\\s*=\\s*([0-9]+)");
  if (std::regex_search(text, m, re)) return std::stoll(m[1]);
  return fallback;
}

// The fake PLC of the golden cases: the course's DB1 with counter = read number and alarm true
// for counters 3 and 4; DB1 is 64 bytes; DB9 does not exist.
void run_case(const fs::path& dir) {
  ASSERT_TRUE(platform::use_zone_for_tests("Europe/Copenhagen"));
  std::string text = logger::testing::slurp((dir / "config.toml").string());
  auto loaded = logger::parse_config(text, (dir / "config.toml").string());
  ASSERT_TRUE(loaded.ok()) << loaded.error().what();
  auto cfg = loaded->config;
  auto tags = loaded->has_tags ? cfg.tags : logger::course_tags();

  logger::FakeClock clock{std::chrono::system_clock::time_point{
      std::chrono::seconds(param(text, "start", 1795511703))}};
  logger::testing::FakeReader reader{&clock};
  reader.latency = std::chrono::milliseconds(3);
  reader.course_db(0, false);
  reader.before_read = [&](int n) { reader.course_db(n, n == 3 || n == 4); };

  logger::testing::TempDir tmp;
  logger::Stats stats;
  logger::CsvSinkOptions so;
  so.pattern = tmp / fs::path(logger::file_pattern(cfg.out, cfg.rotate)).filename().string();
  so.format.dialect = cfg.dialect;
  so.format.quality = cfg.quality;
  so.format.millis = cfg.interval < std::chrono::seconds(1);
  logger::CsvSink sink(so, &stats, {});
  logger::RunOptions ro;
  ro.interval = cfg.interval;
  ro.quality_rows = cfg.quality;
  ro.on_change = cfg.on_change;
  ro.deadband = cfg.deadband;
  ro.max_slots = static_cast<std::uint64_t>(param(text, "slots", 5));
  logger::Logger lg(reader, clock, tags, ro, logger::Sinks{{&sink}, {}}, stats, {});
  std::atomic<bool> stop{false};
  ASSERT_TRUE(lg.run(stop).ok());
  std::string produced;
  for (const auto& e : fs::directory_iterator(tmp.path))
    produced += logger::testing::slurp(e.path().string());
  EXPECT_EQ(produced, logger::testing::slurp((dir / "expected.csv").string()))
      << "case " << dir.filename();
}

}  // namespace

TEST(GoldenCsv, EveryCaseProducesItsExpectedFile) {
  std::size_t cases = 0;
  for (const auto& e : fs::directory_iterator(S7LOG_CASES_DIR)) {
    if (!fs::exists(e.path() / "config.toml")) continue;
    SCOPED_TRACE(e.path().filename().string());
    run_case(e.path());
    ++cases;
  }
  EXPECT_GE(cases, 3u);
}
