// hold_file.exe: holds a file the way Excel does (open, read sharing only) until a line arrives
// on standard input, so the Windows tests can show what s7log does with a locked log.csv.
#include <windows.h>

#include <cstdio>
#include <string>

int wmain(int argc, wchar_t** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: hold_file.exe FILE (holds it until a line on stdin)\n");
    return 2;
  }
  // Like Excel: read and write access for ourselves, only read sharing for everyone else.
  HANDLE h = ::CreateFileW(argv[1], GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, nullptr,
                           OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    std::printf("cannot hold: error %lu\n", ::GetLastError());
    return 1;
  }
  std::printf("held\n");
  std::fflush(stdout);
  char line[64];
  std::fgets(line, sizeof line, stdin);
  ::CloseHandle(h);
  std::printf("released\n");
  std::fflush(stdout);
  return 0;
}
