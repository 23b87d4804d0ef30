// LineWriter's POSIX hooks: a poll(2)-sliced write, so close() can give up on a stuck reader.
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "../line_writer_os.hpp"

namespace platform::line_writer_os {

struct Output {
  const int fd;
};

void OutputDelete::operator()(Output* out) const {
  delete out;
}

OutputPtr open_output(int fd) {
  return OutputPtr(new Output{fd});
}

void thread_started(LineWriter::State&) {}

void thread_ending(LineWriter::State&) {}

// Writes all of `text`, waiting for the descriptor in slices so that `abandon` is seen. A pipe
// takes up to PIPE_BUF bytes at once without blocking once poll says it is writable.
bool write_all(LineWriter::State& s, const std::string& text) {
  const int fd = s.out->fd;
  std::size_t off = 0;
  while (off < text.size()) {
    if (s.abandon.load()) return false;
    pollfd p{fd, POLLOUT, 0};
    const int ready = ::poll(&p, 1, 100);
    if (ready < 0 && errno != EINTR) return false;
    if (ready <= 0) continue;
    if ((p.revents & (POLLERR | POLLNVAL)) != 0) return false;
    const std::size_t chunk = std::min<std::size_t>(text.size() - off, PIPE_BUF);
    const ssize_t n = ::write(fd, text.data() + off, chunk);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return false;
    }
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// Nothing to do: write_all's next poll slice (100 ms at most) sees `abandon`.
void give_up_write(LineWriter::State&) {}

}  // namespace platform::line_writer_os
