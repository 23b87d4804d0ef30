# Dependencies of the Windows cross build (cmake/toolchains/mingw-w64.cmake). Debian's CMake
# packages describe Linux libraries, so the header-only ones (Asio, CLI11, toml++, {fmt} in its
# header-only mode, nlohmann-json) are used from Debian's headers through a folder that holds
# only them (adding /usr/include itself would put glibc's headers before MinGW's), and GoogleTest
# is built from Debian's sources (/usr/src/googletest, package googletest) with the cross compiler.
find_package(Threads REQUIRED)
set(s7log_win_headers ${CMAKE_BINARY_DIR}/deps-include)
file(MAKE_DIRECTORY ${s7log_win_headers})
foreach(entry asio asio.hpp CLI fmt nlohmann toml++)
  if(NOT EXISTS /usr/include/${entry})
    message(FATAL_ERROR "/usr/include/${entry} is missing: run scripts/install-deps.sh")
  endif()
  if(NOT EXISTS ${s7log_win_headers}/${entry})
    file(CREATE_LINK /usr/include/${entry} ${s7log_win_headers}/${entry} SYMBOLIC)
  endif()
endforeach()

function(s7log_header_only name)
  cmake_parse_arguments(ARG "" "" "DEFINES;LIBS" ${ARGN})
  string(REPLACE "::" "_" target "hdr_${name}")
  add_library(${target} INTERFACE)
  target_include_directories(${target} SYSTEM INTERFACE ${s7log_win_headers})
  target_compile_definitions(${target} INTERFACE ${ARG_DEFINES})
  target_link_libraries(${target} INTERFACE ${ARG_LIBS})
  add_library(${name} ALIAS ${target})
endfunction()
s7log_header_only(deps::asio LIBS Threads::Threads ws2_32 mswsock)
s7log_header_only(fmt::fmt DEFINES FMT_HEADER_ONLY=1)
s7log_header_only(nlohmann_json::nlohmann_json)
s7log_header_only(tomlplusplus::tomlplusplus)
s7log_header_only(CLI11::CLI11)

set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
set(BUILD_GMOCK ON CACHE BOOL "" FORCE)
add_subdirectory(/usr/src/googletest ${CMAKE_BINARY_DIR}/googletest EXCLUDE_FROM_ALL SYSTEM)
foreach(t gtest gmock gtest_main)  # googletest 1.12 defines GTest::<t> itself
  if(NOT TARGET GTest::${t})
    add_library(GTest::${t} ALIAS ${t})
  endif()
endforeach()
include(GoogleTest)
