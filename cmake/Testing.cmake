# Helpers: one GoogleTest executable per tests/*_test.cpp, and fuzz targets with corpus replay.
function(s7log_add_unit_tests prefix dir)
  # Usage: s7log_add_unit_tests(<prefix> <dir> LIBS <libs...>)
  cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
  file(GLOB tests CONFIGURE_DEPENDS ${dir}/*_test.cpp)
  foreach(src ${tests})
    get_filename_component(name ${src} NAME_WE)
    set(target ${prefix}_${name})
    add_executable(${target} ${src})
    target_link_libraries(${target} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
    s7log_warnings(${target})
    gtest_discover_tests(${target} PROPERTIES LABELS unit DISCOVERY_TIMEOUT 60)
  endforeach()
endfunction()

# s7log_add_fuzzer(<name> <source> LIBS ...): under S7LOG_FUZZ a libFuzzer binary; always a
# corpus replay test (fuzz/corpus/<name>) built with the normal compiler.
function(s7log_add_fuzzer name src)
  cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
  add_executable(fuzz_replay_${name} ${src} ${PROJECT_SOURCE_DIR}/fuzz/replay_main.cpp)
  target_link_libraries(fuzz_replay_${name} PRIVATE ${ARG_LIBS})
  s7log_warnings(fuzz_replay_${name})
  add_test(NAME fuzz_replay_${name}
           COMMAND fuzz_replay_${name} ${PROJECT_SOURCE_DIR}/fuzz/corpus/${name})
  set_tests_properties(fuzz_replay_${name} PROPERTIES LABELS fuzz_regression)
  if(S7LOG_FUZZ)
    add_executable(fuzz_${name} ${src})
    target_link_libraries(fuzz_${name} PRIVATE ${ARG_LIBS})
    target_compile_options(fuzz_${name} PRIVATE -fsanitize=fuzzer,address)
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer,address)
  endif()
endfunction()

# s7log_add_python_tests(<label> <dir> [PYTHONPATH <dirs...>]): one ctest per <dir>/test_*.py,
# named <label>_<file>, run with the s7log binary as its argument (tests/integration/harness.py
# reads it) from the build folder.
function(s7log_add_python_tests label dir)
  cmake_parse_arguments(ARG "" "" "PYTHONPATH" ${ARGN})
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  list(JOIN ARG_PYTHONPATH ";" path)
  file(GLOB py_tests CONFIGURE_DEPENDS ${dir}/test_*.py)
  foreach(t ${py_tests})
    get_filename_component(name ${t} NAME_WE)
    add_test(NAME ${label}_${name} COMMAND ${Python3_EXECUTABLE} ${t} $<TARGET_FILE:s7log>
             WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    set_tests_properties(${label}_${name} PROPERTIES LABELS ${label} TIMEOUT 300
                         ENVIRONMENT "PYTHONPATH=${path};PYTHONDONTWRITEBYTECODE=1")
  endforeach()
endfunction()
