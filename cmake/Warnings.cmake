# Per-target warning flags; -Werror when S7LOG_WERROR is on (CI turns it on).
option(S7LOG_WERROR "Treat warnings as errors" OFF)
function(s7log_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wconversion -Wshadow)
  # GCC 12 at -O2/-O3 warns inside libstdc++ about `"text" + std::to_string(n)` (-Wrestrict)
  # and about vector::insert of a byte range (-Warray-bounds, -Wstringop-overread): known false
  # positives of GCC 12 from inlining the library, not about our code. Only the optimised GCC 12
  # builds drop these three; dev and asan builds keep them (and -Werror).
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    set(optimised "$<CONFIG:Release,RelWithDebInfo,MinSizeRel>")
    target_compile_options(
      ${target} PRIVATE "$<${optimised}:-Wno-restrict;-Wno-array-bounds;-Wno-stringop-overread>")
  endif()
  if(S7LOG_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
