// Tests of pack_reads/pack_writes (PDU budgets of fact sheet §4.6), chunk specs and item texts.
#include <gtest/gtest.h>

#include <numeric>

#include "s7/client.hpp"

namespace {

using s7::ItemSpec;
using s7::PlannedRequest;

ItemSpec bytes_item(std::uint16_t db, std::uint32_t byte, std::uint16_t count) {
  ItemSpec s;
  s.transport = 0x02;
  s.count = count;
  s.db = db;
  s.area = 0x84;
  s.address = byte * 8;
  return s;
}

ItemSpec bit_item(std::uint16_t db, std::uint32_t byte, std::uint8_t bit) {
  ItemSpec s = bytes_item(db, byte, 1);
  s.transport = 0x01;
  s.address = byte * 8 + bit;
  return s;
}

std::size_t total_chunk_bytes(const std::vector<PlannedRequest>& plan, std::size_t item) {
  std::size_t sum = 0;
  for (const auto& r : plan) {
    for (const auto& c : r.chunks) {
      if (c.item == item) sum += c.length;
    }
  }
  return sum;
}

TEST(PackReads, NineteenOneByteItemsFillOneRequestAtPdu240) {
  std::vector<ItemSpec> items(19, bytes_item(1, 0, 1));
  auto plan = s7::pack_reads(items, 240);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].chunks.size(), 19u);
  EXPECT_EQ(plan[0].request_bytes, 240u);  // 12 + 12 * 19
  // 14 + 19 * 5 + 18 fill bytes (odd items but the last)
  EXPECT_EQ(plan[0].response_bytes, 14u + 19u * 5u + 18u);
}

TEST(PackReads, TwentiethItemStartsASecondRequestAtPdu240) {
  std::vector<ItemSpec> items(20, bytes_item(1, 0, 1));
  auto plan = s7::pack_reads(items, 240);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].chunks.size(), 19u);
  EXPECT_EQ(plan[1].chunks.size(), 1u);
  EXPECT_EQ(plan[1].chunks[0].item, 19u);
}

TEST(PackReads, NoTwentyItemCapAtPdu960) {
  std::vector<ItemSpec> items(79, bytes_item(1, 0, 2));
  auto plan = s7::pack_reads(items, 960);
  ASSERT_EQ(plan.size(), 1u);  // 12 + 12 * 79 = 960
  EXPECT_EQ(plan[0].request_bytes, 960u);
  items.push_back(bytes_item(1, 0, 2));
  EXPECT_EQ(s7::pack_reads(items, 960).size(), 2u);
}

TEST(PackReads, LargestSingleReadIsPduMinus18) {
  for (std::uint16_t pdu : std::initializer_list<std::uint16_t>{240, 480, 960}) {
    const auto max = static_cast<std::uint16_t>(pdu - 18);
    std::vector<ItemSpec> one{bytes_item(1, 0, max)};
    auto plan = s7::pack_reads(one, pdu);
    ASSERT_EQ(plan.size(), 1u) << pdu;
    EXPECT_EQ(plan[0].response_bytes, pdu);
    one[0].count = static_cast<std::uint16_t>(max + 1);
    plan = s7::pack_reads(one, pdu);
    ASSERT_EQ(plan.size(), 2u) << pdu;
    EXPECT_EQ(plan[0].chunks[0].length, max);
    EXPECT_EQ(plan[1].chunks[0].item_offset, max);
    EXPECT_EQ(plan[1].chunks[0].length, 1u);
  }
}

TEST(PackReads, Splits4096BytesIntoPduSizedChunks) {
  std::vector<ItemSpec> items{bytes_item(1, 0, 4096)};
  auto plan = s7::pack_reads(items, 960);
  ASSERT_EQ(plan.size(), 5u);  // 4 x 942 + 328
  for (std::size_t i = 0; i < 4; ++i) {
    ASSERT_EQ(plan[i].chunks.size(), 1u);
    EXPECT_EQ(plan[i].chunks[0].item_offset, i * 942);
    EXPECT_EQ(plan[i].chunks[0].length, 942u);
    EXPECT_EQ(plan[i].response_bytes, 960u);
  }
  EXPECT_EQ(plan[4].chunks[0].length, 4096u - 4u * 942u);
  EXPECT_EQ(s7::pack_reads(items, 240).size(), 19u);  // ceil(4096 / 222)
  EXPECT_EQ(s7::pack_reads(items, 480).size(), 9u);   // ceil(4096 / 462)
  EXPECT_EQ(total_chunk_bytes(s7::pack_reads(items, 240), 0), 4096u);
}

TEST(PackReads, FillByteCountsInTheResponseBudget) {
  // 14 + (4 + 111 + fill 1) + (4 + 107) = 241 > 240: two requests; 111 + 106 fits exactly.
  std::vector<ItemSpec> odd{bytes_item(1, 0, 111), bytes_item(1, 200, 107)};
  EXPECT_EQ(s7::pack_reads(odd, 240).size(), 2u);
  std::vector<ItemSpec> fits{bytes_item(1, 0, 111), bytes_item(1, 200, 106)};
  auto plan = s7::pack_reads(fits, 240);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].response_bytes, 240u);
}

TEST(PackReads, MixedSizesGoFirstFitInItemOrder) {
  // At 240 (max 222 per item): 200 opens request 0, 100 opens request 1, 20 fits request 1,
  // the 300-byte item is split 222 + 78 (own request, then request 1), the BIT joins request 0.
  std::vector<ItemSpec> items{bytes_item(1, 0, 200), bytes_item(1, 200, 100),
                              bytes_item(1, 300, 20), bytes_item(2, 0, 300), bit_item(1, 10, 3)};
  auto plan = s7::pack_reads(items, 240);
  ASSERT_EQ(plan.size(), 3u);
  ASSERT_EQ(plan[0].chunks.size(), 2u);
  EXPECT_EQ(plan[0].chunks[0].item, 0u);
  EXPECT_EQ(plan[0].chunks[1].item, 4u);
  ASSERT_EQ(plan[1].chunks.size(), 3u);
  EXPECT_EQ(plan[1].chunks[0].item, 1u);
  EXPECT_EQ(plan[1].chunks[1].item, 2u);
  EXPECT_EQ(plan[1].chunks[2].item, 3u);
  EXPECT_EQ(plan[1].chunks[2].item_offset, 222u);
  EXPECT_EQ(plan[1].chunks[2].length, 78u);
  EXPECT_EQ(plan[2].chunks[0].item, 3u);
  EXPECT_EQ(plan[2].chunks[0].length, 222u);
  for (const auto& r : plan) {
    EXPECT_LE(r.request_bytes, 240u);
    EXPECT_LE(r.response_bytes, 240u);
  }
  EXPECT_EQ(s7::pack_reads(items, 240).size(), plan.size());  // deterministic
}

TEST(PackReads, TimersAndCountersAreNeverSplit) {
  ItemSpec counters;
  counters.transport = 0x1C;
  counters.area = 0x1C;
  counters.db = 0;
  counters.count = 200;  // 400 bytes > 222
  counters.address = 0;
  std::vector<ItemSpec> items{counters};
  auto plan = s7::pack_reads(items, 240);
  ASSERT_EQ(plan.size(), 1u);
  ASSERT_EQ(plan[0].chunks.size(), 1u);
  EXPECT_EQ(plan[0].chunks[0].length, 400u);
  EXPECT_GT(plan[0].response_bytes, 240u);  // the client refuses it instead of sending
}

TEST(PackWrites, LargestSingleWriteIsPduMinus28) {
  for (std::uint16_t pdu : std::initializer_list<std::uint16_t>{240, 480, 960}) {
    const auto max = static_cast<std::uint16_t>(pdu - 28);
    std::vector<ItemSpec> one{bytes_item(1, 0, max)};
    auto plan = s7::pack_writes(one, pdu);
    ASSERT_EQ(plan.size(), 1u);
    EXPECT_EQ(plan[0].request_bytes, pdu);
    one[0].count = static_cast<std::uint16_t>(max + 1);
    EXPECT_EQ(s7::pack_writes(one, pdu).size(), 2u);
  }
}

TEST(PackWrites, SeveralSmallWritesShareOneRequest) {
  std::vector<ItemSpec> items{bytes_item(1, 20, 2), bytes_item(1, 22, 4), bit_item(1, 26, 0),
                              bit_item(1, 26, 1)};
  auto plan = s7::pack_writes(items, 240);
  ASSERT_EQ(plan.size(), 1u);
  // 12 + 4 * 12 + (4 + 2) + (4 + 4) + (4 + 1 + fill 1) + (4 + 1) = 85
  EXPECT_EQ(plan[0].request_bytes, 85u);
  EXPECT_EQ(plan[0].response_bytes, 18u);
}

TEST(ChunkSpec, WholeItemKeepsItsSpecAndAPartBecomesAByteRange) {
  ItemSpec words = bytes_item(5, 10, 0);
  words.transport = 0x04;
  words.count = 600;  // 1200 bytes
  EXPECT_EQ(s7::chunk_spec(words, 0, 1200), words);
  ItemSpec part = s7::chunk_spec(words, 942, 258);
  EXPECT_EQ(part.transport, 0x02);
  EXPECT_EQ(part.count, 258);
  EXPECT_EQ(part.db, 5);
  EXPECT_EQ(part.address, (10u + 942u) * 8u);
}

TEST(DescribeItem, NamesAddressesTheSiemensWay) {
  EXPECT_EQ(s7::describe_item(bytes_item(3, 0, 1)), "DB3.DBB0");
  ItemSpec w = bytes_item(3, 0, 2);
  EXPECT_EQ(s7::describe_item(w), "DB3.DBW0");
  EXPECT_EQ(s7::describe_item(bit_item(1, 26, 1)), "DB1.DBX26.1");
  EXPECT_EQ(s7::describe_item(bytes_item(1, 0, 12)), "DB1.DBB0 (12 bytes)");
  ItemSpec m = bit_item(0, 10, 5);
  m.area = 0x83;
  EXPECT_EQ(s7::describe_item(m), "M10.5");
}

TEST(ItemError, SaysWhichDbIsMissing) {
  auto e = s7::item_error("DB3.DBW0", bytes_item(3, 0, 2), 0x0A);
  EXPECT_TRUE(e.is(s7::Errc::item_not_found));
  EXPECT_EQ(e.what(), "DB3.DBW0: DB3 does not exist on the PLC (item error 0x0A)");
  EXPECT_EQ(e.s7_code, 0x0A);
  auto denied = s7::item_error("DB1.DBB11", bytes_item(1, 11, 1), 0x03);
  EXPECT_TRUE(denied.is(s7::Errc::item_access_denied));
  EXPECT_NE(denied.what().find("access denied"), std::string::npos);
}

TEST(ItemError, PeripheryErrorsPointAtTheModules) {
  ItemSpec p = bytes_item(0, 256, 2);
  p.area = 0x80;
  EXPECT_EQ(s7::describe_item(p), "PW256");
  auto missing = s7::item_error("PIW256", p, 0x0A);
  EXPECT_TRUE(missing.is(s7::Errc::item_not_found));
  EXPECT_EQ(missing.what(),
            "PIW256: no I/O module at this address, or the PLC does not allow direct periphery "
            "access (item error 0x0A)");
  auto range = s7::item_error("PIW256", p, 0x05);
  EXPECT_TRUE(range.is(s7::Errc::item_out_of_range));
  EXPECT_EQ(range.what(),
            "PIW256: address out of range: no I/O module answers at these addresses (item error "
            "0x05)");
}

TEST(ClientOptions, DescribeNamesHostPortRackAndSlot) {
  s7::ClientOptions o;
  o.host = "10.0.0.5";
  o.port = 102;
  EXPECT_EQ(o.describe(), "10.0.0.5:102 (rack 0, slot 1)");
  o.remote_tsap = 0x0301;
  EXPECT_EQ(o.describe(), "10.0.0.5:102 (TSAP 01.00 -> 03.01)");
  o.host = "::1";
  EXPECT_EQ(o.describe(), "[::1]:102 (TSAP 01.00 -> 03.01)");
}

TEST(ClientOptions, RemoteTsapEncodesTypeRackAndSlot) {
  s7::ClientOptions o;  // OP, rack 0, slot 1
  EXPECT_EQ(o.remote_tsap_value(), 0x0201);
  o.type = s7::ConnectionType::pg;
  o.rack = 1;
  o.slot = 3;
  EXPECT_EQ(o.remote_tsap_value(), 0x0123);
  o.type = s7::ConnectionType::basic;
  o.rack = 0;
  o.slot = 2;
  EXPECT_EQ(o.remote_tsap_value(), 0x0302);
  EXPECT_EQ(o.local_tsap_value(), 0x0100);
}

}  // namespace

TEST(PackReads, FirstFitDecreasingIsUsedWhenItNeedsFewerRequests) {
  // PDU 254: 240 answer bytes for items (4-byte header + data each). Sizes 4 + L in item order
  // 48, 120, 96, 168, 24, 72, 192 (sum 720 = 3 x 240): first-fit in order needs 4 requests,
  // largest-first needs 3, and each request still lists its chunks in item order.
  std::vector<ItemSpec> items;
  std::uint32_t offset = 0;
  for (int len : {44, 116, 92, 164, 20, 68, 188}) {
    items.push_back(bytes_item(1, offset, static_cast<std::uint16_t>(len)));
    offset += static_cast<std::uint32_t>(len);
  }
  auto plan = s7::pack_reads(items, 254);
  ASSERT_EQ(plan.size(), 3u);
  std::vector<int> seen(items.size(), 0);
  for (const auto& r : plan) {
    EXPECT_LE(r.request_bytes, 254u);
    EXPECT_LE(r.response_bytes, 254u);
    for (std::size_t k = 0; k < r.chunks.size(); ++k) {
      ++seen[r.chunks[k].item];
      if (k > 0) {
        EXPECT_LT(r.chunks[k - 1].item, r.chunks[k].item);
      }
    }
  }
  for (int n : seen) EXPECT_EQ(n, 1);
}

TEST(PackReads, OddItemsRepackedLargestFirstGetExactFillBytes) {
  // Odd lengths: the fill byte follows each odd item but the last of its request.
  std::vector<ItemSpec> items{bytes_item(1, 0, 43),   bytes_item(1, 50, 115),
                              bytes_item(1, 200, 91), bytes_item(1, 300, 163),
                              bytes_item(1, 500, 19), bytes_item(1, 600, 67),
                              bytes_item(1, 700, 187)};
  for (const auto& r : s7::pack_reads(items, 254)) {
    std::size_t expect = 14;
    for (std::size_t k = 0; k < r.chunks.size(); ++k)
      expect += 4 + r.chunks[k].length + ((r.chunks[k].length % 2) != 0 && k + 1 < r.chunks.size());
    EXPECT_EQ(r.response_bytes, expect);
    EXPECT_LE(r.response_bytes, 254u);
    EXPECT_EQ(r.request_bytes, 12 + 12 * r.chunks.size());
  }
}
