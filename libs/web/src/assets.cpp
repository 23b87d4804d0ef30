// Assets built in code: the favicon (the page sources are embedded by cmake/Embed.cmake).
#include "web/assets.hpp"

#include <cstdint>

namespace web::assets {

namespace {

void put16(std::string& s, std::uint16_t v) {
  s += static_cast<char>(v & 0xFF);
  s += static_cast<char>(v >> 8);
}
void put32(std::string& s, std::uint32_t v) {
  put16(s, static_cast<std::uint16_t>(v & 0xFFFF));
  put16(s, static_cast<std::uint16_t>(v >> 16));
}

// ICO file = ICONDIR (6 bytes) + one ICONDIRENTRY (16) + a BMP without file header:
// BITMAPINFOHEADER (40, height doubled for the AND mask) + BGRA pixels bottom-up + AND mask.
std::string make_icon() {
  constexpr std::uint32_t n = 16;
  constexpr std::uint32_t pixels = n * n * 4;
  constexpr std::uint32_t mask = n * 4;  // 1 bit per pixel, rows padded to 32 bits
  constexpr std::uint32_t image = 40 + pixels + mask;
  std::string s;
  put16(s, 0);  // reserved
  put16(s, 1);  // type: icon
  put16(s, 1);  // one image
  s += static_cast<char>(n);
  s += static_cast<char>(n);
  s += '\0';     // palette size
  s += '\0';     // reserved
  put16(s, 1);   // planes
  put16(s, 32);  // bits per pixel
  put32(s, image);
  put32(s, 6 + 16);  // offset of the image
  put32(s, 40);
  put32(s, n);
  put32(s, 2 * n);
  put16(s, 1);
  put16(s, 32);
  put32(s, 0);  // BI_RGB
  put32(s, pixels + mask);
  put32(s, 0);
  put32(s, 0);
  put32(s, 0);
  put32(s, 0);
  // A rising zig-zag line on a dark blue tile (rows bottom-up, so y grows upwards).
  for (std::uint32_t y = 0; y < n; ++y) {
    for (std::uint32_t x = 0; x < n; ++x) {
      std::uint32_t line = (x % 6 < 3) ? x / 2 + 3 + (x % 6) : x / 2 + 3 + (6 - x % 6);
      bool on = y == line || y + 1 == line;
      s += static_cast<char>(on ? 0x40 : 0x6b);  // B
      s += static_cast<char>(on ? 0xd0 : 0x3a);  // G
      s += static_cast<char>(on ? 0xff : 0x1f);  // R
      s += static_cast<char>(0xff);              // A
    }
  }
  s.append(mask, '\0');
  return s;
}

}  // namespace

const std::string& favicon_ico() {
  static const std::string icon = make_icon();
  return icon;
}

}  // namespace web::assets
