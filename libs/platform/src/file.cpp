// platform/file.hpp, the part that is the same on every system: AppendFile's lifetime and moves.
#include <utility>

#include "platform/file.hpp"

namespace platform {

AppendFile::~AppendFile() {
  close();
}

AppendFile::AppendFile(AppendFile&& other) noexcept
    : native_(std::exchange(other.native_, -1)),
      path_(std::move(other.path_)),
      console_(std::exchange(other.console_, false)),
      stream_(std::move(other.stream_)) {}

AppendFile& AppendFile::operator=(AppendFile&& other) noexcept {
  if (this != &other) {
    close();
    native_ = std::exchange(other.native_, -1);
    path_ = std::move(other.path_);
    console_ = std::exchange(other.console_, false);
    stream_ = std::move(other.stream_);
  }
  return *this;
}

}  // namespace platform
