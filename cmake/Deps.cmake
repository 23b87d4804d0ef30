# Finds the Debian-packaged libraries and defines uniform imported targets.
# Asio (header-only, libasio-dev) is found by libs/s7/CMakeLists.txt, which also works alone.
if(WIN32)
  include(DepsWindows)  # the MinGW-w64 cross build: header-only libraries, GoogleTest from source
  return()
endif()
find_package(Threads REQUIRED)
find_package(fmt 9 REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(tomlplusplus 3 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(GTest REQUIRED)
include(GoogleTest)
find_package(benchmark QUIET)
pkg_check_modules(PCAP IMPORTED_TARGET libpcap)
