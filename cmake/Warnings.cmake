# Per-target warning flags; -Werror when S7LOG_WERROR is on (CI turns it on).
option(S7LOG_WERROR "Treat warnings as errors" OFF)
function(s7log_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wconversion -Wshadow)
  if(S7LOG_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
