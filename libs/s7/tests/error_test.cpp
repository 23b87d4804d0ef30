#include "s7/error.hpp"

#include <gtest/gtest.h>

TEST(Errc, ItemCodesRoundTrip) {
  for (int code : {0x01, 0x03, 0x05, 0x06, 0x07, 0x0A, 0xFF}) {
    EXPECT_EQ(s7::item_code_from_errc(s7::errc_from_item_code(static_cast<std::uint8_t>(code))),
              code);
  }
  EXPECT_EQ(s7::errc_from_item_code(0x42), s7::Errc::item_unknown);
}

TEST(Errc, MessagesTellWhatToCheck) {
  std::error_code ec = s7::Errc::cpu_function_not_available;
  EXPECT_NE(ec.message().find("PUT/GET"), std::string::npos);
  EXPECT_EQ(std::string(ec.category().name()), "s7");
}

TEST(Result, CarriesValueOrError) {
  s7::Result<int> good(5);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 5);
  s7::Result<int> bad(s7::Errc::item_not_found, "DB3 does not exist on the PLC (item error 0x0A)");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().is(s7::Errc::item_not_found));
  EXPECT_EQ(bad.error().what(), "DB3 does not exist on the PLC (item error 0x0A)");
  s7::Result<void> v;
  EXPECT_TRUE(v.ok());
}
