// Tests of the simulation: the course's DB1 bytes after N ticks, STOP, WRITE-line detection,
// faults.
#include "sim/simulation.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

using namespace std::chrono_literals;

namespace sim {
namespace {

constexpr s7::AreaKey kDb1{s7::Area::db, 1};

std::vector<std::uint8_t> db1(const Simulation& s, std::uint32_t offset, std::size_t n) {
  std::vector<std::uint8_t> out(n);
  EXPECT_TRUE(s.memory().peek(kDb1, offset, out));
  return out;
}

TEST(CourseSimulation, InitialBytesMatchTheCourseLayout) {
  Simulation s(course_config());
  EXPECT_EQ(s.memory().area_size(kDb1), 64u);
  // counter 0, temperature 25, pressure 1.23f (3F 9D 70 A4), alarm true (counter even), mode_ro 7.
  EXPECT_EQ(db1(s, 0, 12), (std::vector<std::uint8_t>{0, 0, 0, 0, 0x00, 0x19, 0x3F, 0x9D, 0x70,
                                                      0xA4, 0x01, 0x07}));
}

TEST(AreaInit, PatternFillsByteIModulo256) {
  PlcConfig c = course_config();
  c.areas.push_back({s7::Area::db, 2, 8192, AreaInit::pattern});
  Simulation s(c);
  std::vector<std::uint8_t> out(8192);
  ASSERT_TRUE(s.memory().peek({s7::Area::db, 2}, 0, out));
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[255], 255);
  EXPECT_EQ(out[256], 0);
  EXPECT_EQ(out[8191], 8191 % 256);
  // The course's DB1 (init zero) is unchanged: byte 12 is still 0.
  EXPECT_EQ(db1(s, 12, 1)[0], 0);
}

TEST(CourseSimulation, AfterFiveTicksCounterIsFiveAndAlarmOff) {
  Simulation s(course_config());
  s.tick(5);
  EXPECT_EQ(db1(s, 0, 12), (std::vector<std::uint8_t>{0, 0, 0, 5, 0x00, 0x19, 0x3F, 0x9D, 0x70,
                                                      0xA4, 0x00, 0x07}));
  s.tick();
  EXPECT_EQ(db1(s, 0, 4), (std::vector<std::uint8_t>{0, 0, 0, 6}));
  EXPECT_EQ(db1(s, 10, 1)[0], 0x01);
  EXPECT_EQ(s.ticks(), 6u);
}

TEST(CourseSimulation, CounterCrossesByteBoundaries) {
  Simulation s(course_config());
  s.tick(300);
  EXPECT_EQ(db1(s, 0, 4), (std::vector<std::uint8_t>{0, 0, 0x01, 0x2C}));
}

TEST(CourseSimulation, ServerNeverTouchesTheCommandArea) {
  Simulation s(course_config());
  std::array<std::uint8_t, 8> cmd{0x00, 0x7B, 0x3F, 0xC0, 0x00, 0x00, 0x03, 0x02};
  ASSERT_EQ(s.memory().write(kDb1, 20, cmd), s7::kItemSuccess);
  s.tick(3);
  EXPECT_EQ(db1(s, 20, 8), std::vector<std::uint8_t>(cmd.begin(), cmd.end()));
}

TEST(CourseSimulation, ModeRoIsReadOnlyForClients) {
  Simulation s(course_config());
  std::array<std::uint8_t, 1> one{9};
  EXPECT_EQ(s.memory().write(kDb1, 11, one), 0x03);
  std::array<std::uint8_t, 2> two{1, 9};
  EXPECT_EQ(s.memory().write(kDb1, 10, two), 0x03);
  EXPECT_EQ(db1(s, 10, 2), (std::vector<std::uint8_t>{0x01, 0x07}));
}

TEST(CourseSimulation, StopFreezesGenerators) {
  Simulation s(course_config());
  s.tick(4);
  s.set_running(false);
  s.tick(10);
  EXPECT_EQ(db1(s, 0, 4), (std::vector<std::uint8_t>{0, 0, 0, 4}));
  s.set_running(true);
  s.tick();
  EXPECT_EQ(db1(s, 0, 4), (std::vector<std::uint8_t>{0, 0, 0, 5}));
  EXPECT_EQ(db1(s, 10, 1)[0], 0x00);  // alarm still follows the counter
}

TEST(CourseSimulation, ConfigStateStopStartsFrozen) {
  PlcConfig c = course_config();
  c.run = false;
  Simulation s(c);
  EXPECT_FALSE(s.running());
  s.tick(3);
  EXPECT_EQ(db1(s, 0, 4), (std::vector<std::uint8_t>{0, 0, 0, 0}));
}

TEST(WriteLine, ChangePrintsOneLineNamingAllFive) {
  Simulation s(course_config());
  EXPECT_FALSE(s.poll_writes().has_value());
  std::array<std::uint8_t, 2> sp{0x00, 0x7B};  // 123
  ASSERT_EQ(s.memory().write(kDb1, 20, sp), s7::kItemSuccess);
  auto line = s.poll_writes();
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(*line,
            "WRITE: {'setpoint_int': 123, 'setpoint_real': 0.0, 'cmd_start': False, "
            "'cmd_stop': False, 'mode': 0}");
  EXPECT_FALSE(s.poll_writes().has_value());
}

TEST(WriteLine, SameValueWrittenAgainPrintsNothing) {
  Simulation s(course_config());
  std::array<std::uint8_t, 1> mode{0};
  ASSERT_EQ(s.memory().write(kDb1, 27, mode), s7::kItemSuccess);
  EXPECT_FALSE(s.poll_writes().has_value());
}

TEST(WriteLine, SeveralWritesInOneTickGiveOneLine) {
  Simulation s(course_config());
  std::array<std::uint8_t, 4> real{0x3F, 0xC0, 0x00, 0x00};  // 1.5
  ASSERT_EQ(s.memory().write(kDb1, 22, real), s7::kItemSuccess);
  ASSERT_EQ(s.memory().write_bit(kDb1, 26, 0, true), s7::kItemSuccess);
  ASSERT_EQ(s.memory().write_bit(kDb1, 26, 1, true), s7::kItemSuccess);
  std::array<std::uint8_t, 1> mode{2};
  ASSERT_EQ(s.memory().write(kDb1, 27, mode), s7::kItemSuccess);
  s.tick();
  auto line = s.poll_writes();
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(*line,
            "WRITE: {'setpoint_int': 0, 'setpoint_real': 1.5, 'cmd_start': True, "
            "'cmd_stop': True, 'mode': 2}");
  s.tick();
  EXPECT_FALSE(s.poll_writes().has_value());
}

TEST(WriteLine, TelemetryTicksDoNotPrint) {
  Simulation s(course_config());
  s.tick(7);
  EXPECT_FALSE(s.poll_writes().has_value());
}

PlcConfig generator_config() {
  PlcConfig c;
  c.areas = {{s7::Area::merkers, 0, 64}};
  c.tick = 500ms;
  c.fields = {
      {"ramp", "MW0", Ramp{0, 100, 10s}},
      {"sine", "MD2:REAL", Sine{2, 10, 4s}},
      {"square", "MB6", Square{1, 5, 2s, 0.5}},
      {"walk", "MD8:REAL", RandomWalk{3, 50, 1, 0, 100}},
      {"blink", "M12.3", Toggle{1s, true}},
      {"neighbour", "M12.4", Constant{"true"}},
      {"count", "MW14", Counter{0, 1, 3.0}},
      {"echo", "MW16", Copy{"count"}},
      {"wrap_int", "MB18:SINT", Counter{120, 5, std::nullopt}},
  };
  return c;
}

TEST(GeneratorFields, ValuesLandInMemoryAtTheirTicks) {
  Simulation s(generator_config());
  s.tick(5);  // t = 2.5 s
  EXPECT_EQ(std::get<std::int64_t>(s.field_value("ramp")->elems[0]), 25);
  EXPECT_FLOAT_EQ(std::get<float>(s.field_value("sine")->elems[0]),
                  static_cast<float>(10 + 2 * std::sin(2 * 3.14159265358979 * 2.5 / 4)));
  EXPECT_EQ(std::get<std::uint64_t>(s.field_value("square")->elems[0]),
            5u);  // 2.5 s: first half of a 2 s period
  EXPECT_FLOAT_EQ(std::get<float>(s.field_value("walk")->elems[0]),
                  static_cast<float>(random_walk_value(RandomWalk{3, 50, 1, 0, 100}, 5)));
  EXPECT_FALSE(std::get<bool>(s.field_value("blink")->elems[0]));
  EXPECT_TRUE(std::get<bool>(s.field_value("neighbour")->elems[0]));       // bit 4 survives bit 3
  EXPECT_EQ(std::get<std::int64_t>(s.field_value("count")->elems[0]), 1);  // 0,1,2,3,0,1
  EXPECT_EQ(std::get<std::int64_t>(s.field_value("echo")->elems[0]), 1);
  // SINT wraps like the PLC: 120 + 25 = 145 -> -111.
  EXPECT_EQ(std::get<std::int64_t>(s.field_value("wrap_int")->elems[0]), -111);
}

TEST(GeneratorFields, RandomWalkRepeatsAcrossRunsAndTickSizes) {
  Simulation a(generator_config());
  Simulation b(generator_config());
  a.tick(9);
  for (int i = 0; i < 9; ++i) b.tick();
  EXPECT_EQ(a.field_value("walk"), b.field_value("walk"));
}

TEST(ItemFault, CoversTheFieldBytes) {
  Simulation s(course_config());
  auto f = s.item_fault("pressure", 0x0A);
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->area, kDb1);
  EXPECT_EQ(f->offset, 6u);
  EXPECT_EQ(f->length, 4u);
  EXPECT_EQ(f->code, 0x0A);
  EXPECT_FALSE(s.item_fault("nope", 0x0A).has_value());
}

TEST(RefusedWrite, LineNamesPeerAddressAndBytes) {
  s7::WriteEvent e;
  e.peer = "127.0.0.1:40312";
  e.area = kDb1;
  e.offset = 11;
  e.data = {0x05};
  e.result = 0x03;
  EXPECT_EQ(describe_refused_write(e),
            "READ-ONLY: 127.0.0.1:40312 tried to write DB1.DBB11 (1 byte: 05), refused with item "
            "error 0x03");
  e.offset = 10;
  e.data = {0x01, 0x05};
  EXPECT_NE(describe_refused_write(e).find("DB1.DBB10 (2 bytes: 01 05)"), std::string::npos);
}

TEST(PythonRepr, FormatsLikeTheCoursesDict) {
  EXPECT_EQ(python_repr(s7::Value(s7::Scalar(true))), "True");
  EXPECT_EQ(python_repr(s7::Value(s7::Scalar(0.0f))), "0.0");
  EXPECT_EQ(python_repr(s7::Value(s7::Scalar(std::int64_t{-4}))), "-4");
  EXPECT_EQ(python_repr(s7::Value(s7::Scalar(std::string("it's")))), "'it\\'s'");
}

}  // namespace
}  // namespace sim
