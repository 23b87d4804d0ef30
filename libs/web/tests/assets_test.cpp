// Tests of the embedded assets: the favicon is a valid ICO; page sources and uPlot are inside.
#include "web/assets.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace web;
using ::testing::HasSubstr;

TEST(Favicon, IsOne16x16IconWithConsistentSizes) {
  const auto& ico = assets::favicon_ico();
  ASSERT_GE(ico.size(), 22u);
  auto u8 = [&](std::size_t i) { return static_cast<unsigned char>(ico[i]); };
  EXPECT_EQ(u8(0) | u8(1) << 8, 0);  // reserved
  EXPECT_EQ(u8(2) | u8(3) << 8, 1);  // icon
  EXPECT_EQ(u8(4) | u8(5) << 8, 1);  // one image
  EXPECT_EQ(u8(6), 16);
  EXPECT_EQ(u8(7), 16);
  std::size_t size = u8(14) | u8(15) << 8 | u8(16) << 16 | static_cast<std::size_t>(u8(17)) << 24;
  std::size_t offset = u8(18) | u8(19) << 8;
  EXPECT_EQ(offset, 22u);
  EXPECT_EQ(offset + size, ico.size());
}

TEST(EmbeddedAssets, HoldThePagesAndUplot) {
  EXPECT_THAT(std::string(assets::live_js), HasSubstr("/events"));
  EXPECT_THAT(std::string(assets::live_html), HasSubstr("/uplot.js"));
  EXPECT_THAT(std::string(assets::live_js), HasSubstr("EventSource"));
  EXPECT_THAT(std::string(assets::plot_html), HasSubstr("/*@DATA@*/"));
  EXPECT_GT(assets::uplot_js.size(), 40'000u);  // uPlot 1.6.32 iife.min is 51,081 bytes
  EXPECT_THAT(std::string(assets::uplot_js), HasSubstr("uPlot"));
  EXPECT_THAT(std::string(assets::uplot_css), HasSubstr(".uplot"));
}
