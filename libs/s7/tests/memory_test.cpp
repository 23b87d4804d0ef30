// Tests for MemoryStore: areas, read-only ranges, bit writes, range and missing-area codes.
#include "s7/memory.hpp"

#include <gtest/gtest.h>

#include <array>
#include <thread>

#include "s7/pdu.hpp"

namespace {

using s7::Area;
using s7::AreaKey;
using s7::Bytes;
using s7::MemoryStore;

constexpr AreaKey kDb1{Area::db, 1};

TEST(MemoryStore, RegisteredAreasExistWithTheirSizes) {
  MemoryStore m;
  m.add_area(kDb1, 64);
  m.add_area({Area::db, 300}, 4000);
  m.add_area({Area::merkers, 0}, 256);
  EXPECT_TRUE(m.has_area(kDb1));
  EXPECT_TRUE(m.has_area({Area::db, 300}));
  EXPECT_FALSE(m.has_area({Area::db, 2}));
  EXPECT_FALSE(m.has_area({Area::inputs, 0}));
  EXPECT_EQ(m.area_size({Area::db, 300}), 4000u);
  EXPECT_EQ(m.area_size({Area::db, 2}), 0u);
  // The DB number does not matter for non-DB areas.
  EXPECT_TRUE(m.has_area({Area::merkers, 7}));
  EXPECT_EQ(m.areas().size(), 3u);
}

TEST(MemoryStore, CheckReadNamesMissingAreasAndRangesPastTheEnd) {
  MemoryStore m;
  m.add_area({Area::db, 1}, 16);
  EXPECT_EQ(m.check_read({Area::db, 1}, 0, 16), 0xFF);
  EXPECT_EQ(m.check_read({Area::db, 1}, 15, 1), 0xFF);
  EXPECT_EQ(m.check_read({Area::db, 1}, 15, 2), 0x05);
  EXPECT_EQ(m.check_read({Area::db, 1}, 0xFFFFFFFFu, 0xFFFFFFFFull), 0x05);  // no wrap-around
  EXPECT_EQ(m.check_read({Area::db, 2}, 0, 1), 0x0A);
  m.add_read_only({Area::db, 1}, 0, 4);
  EXPECT_EQ(m.check_read({Area::db, 1}, 0, 4), 0xFF);  // read-only ranges are readable
}

TEST(MemoryStore, WriteThenReadReturnsTheBytes) {
  MemoryStore m;
  m.add_area(kDb1, 64);
  const Bytes data{1, 2, 3, 4};
  EXPECT_EQ(m.write(kDb1, 10, data), s7::kItemSuccess);
  std::array<std::uint8_t, 6> out{};
  EXPECT_EQ(m.read(kDb1, 9, out), s7::kItemSuccess);
  EXPECT_EQ(out, (std::array<std::uint8_t, 6>{0, 1, 2, 3, 4, 0}));
}

TEST(MemoryStore, ReadOnlyRangeRefusesWholeWriteWith03) {
  MemoryStore m;
  m.add_area(kDb1, 64);
  const Bytes before{0xA0, 0xA1, 0xA2, 0xA3};
  ASSERT_TRUE(m.poke(kDb1, 10, before));
  m.add_read_only(kDb1, 11, 1);
  // A write overlapping the read-only byte stores nothing, not even its writable bytes.
  EXPECT_EQ(m.write(kDb1, 10, Bytes{1, 2, 3, 4}), 0x03);
  std::array<std::uint8_t, 4> out{};
  ASSERT_EQ(m.read(kDb1, 10, out), s7::kItemSuccess);
  EXPECT_EQ(Bytes(out.begin(), out.end()), before);
  EXPECT_EQ(m.check_write(kDb1, 11, 1), 0x03);
  EXPECT_EQ(m.check_write(kDb1, 12, 4), s7::kItemSuccess);
  EXPECT_EQ(m.write_bit(kDb1, 11, 0, true), 0x03);
  // Writes next to the range are fine.
  EXPECT_EQ(m.write(kDb1, 12, Bytes{9}), s7::kItemSuccess);
}

TEST(MemoryStore, OwnerPokeIgnoresReadOnlyRanges) {
  MemoryStore m;
  m.add_area(kDb1, 64);
  m.add_read_only(kDb1, 11, 1);
  EXPECT_TRUE(m.poke(kDb1, 11, Bytes{7}));
  std::array<std::uint8_t, 1> out{};
  EXPECT_TRUE(m.peek(kDb1, 11, out));
  EXPECT_EQ(out[0], 7);
}

TEST(MemoryStore, BitWriteKeepsNeighbourBits) {
  MemoryStore m;
  m.add_area(kDb1, 64);
  ASSERT_TRUE(m.poke(kDb1, 26, Bytes{0xF0}));
  EXPECT_EQ(m.write_bit(kDb1, 26, 5, false), s7::kItemSuccess);
  EXPECT_EQ(m.write_bit(kDb1, 26, 1, true), s7::kItemSuccess);
  std::array<std::uint8_t, 1> out{};
  ASSERT_TRUE(m.peek(kDb1, 26, out));
  EXPECT_EQ(out[0], 0xD2);
  EXPECT_EQ(m.write_bit(kDb1, 26, 8, true), 0x05);
}

TEST(MemoryStore, OutOfRangeGives05AndChangesNothing) {
  MemoryStore m;
  m.add_area(kDb1, 64);
  std::array<std::uint8_t, 10> out{};
  EXPECT_EQ(m.read(kDb1, 60, out), 0x05);
  EXPECT_EQ(m.write(kDb1, 62, Bytes{1, 2, 3}), 0x05);
  EXPECT_EQ(m.write(kDb1, 0xFFFFFFFF, Bytes{1}), 0x05);  // no wrap-around
  EXPECT_EQ(m.write_bit(kDb1, 64, 0, true), 0x05);
  EXPECT_FALSE(m.poke(kDb1, 63, Bytes{1, 2}));
  std::array<std::uint8_t, 2> tail{};
  ASSERT_TRUE(m.peek(kDb1, 62, tail));
  EXPECT_EQ(tail, (std::array<std::uint8_t, 2>{0, 0}));
  // Exactly to the end is fine.
  std::array<std::uint8_t, 4> last{};
  EXPECT_EQ(m.read(kDb1, 60, last), s7::kItemSuccess);
}

TEST(MemoryStore, MissingDbGives0A) {
  MemoryStore m;
  m.add_area(kDb1, 64);
  std::array<std::uint8_t, 1> out{};
  EXPECT_EQ(m.read({Area::db, 3}, 0, out), 0x0A);
  EXPECT_EQ(m.write({Area::db, 3}, 0, Bytes{1}), 0x0A);
  EXPECT_EQ(m.write_bit({Area::timers, 0}, 0, 0, true), 0x0A);
  EXPECT_EQ(m.check_write({Area::db, 3}, 0, 1), 0x0A);
  EXPECT_FALSE(m.peek({Area::db, 3}, 0, out));
}

TEST(MemoryStore, ResizeKeepsContents) {
  MemoryStore m;
  m.add_area(kDb1, 4);
  ASSERT_TRUE(m.poke(kDb1, 0, Bytes{1, 2, 3, 4}));
  m.add_area(kDb1, 8);
  std::array<std::uint8_t, 8> out{};
  ASSERT_TRUE(m.peek(kDb1, 0, out));
  EXPECT_EQ(out, (std::array<std::uint8_t, 8>{1, 2, 3, 4, 0, 0, 0, 0}));
}

TEST(MemoryStore, WithLockGivesConsistentMultiFieldUpdates) {
  MemoryStore m;
  m.add_area(kDb1, 4);
  std::thread writer([&] {
    for (int i = 0; i < 2000; ++i) {
      const auto v = static_cast<std::uint8_t>(i);
      m.with_lock([&] {
        (void)m.poke(kDb1, 0, Bytes{v, v});
        (void)m.poke(kDb1, 2, Bytes{v, v});
      });
    }
  });
  for (int i = 0; i < 2000; ++i) {
    std::array<std::uint8_t, 4> out{};
    ASSERT_EQ(m.read(kDb1, 0, out), s7::kItemSuccess);
    ASSERT_EQ(out[0], out[3]);  // never half of one update
  }
  writer.join();
}

}  // namespace
