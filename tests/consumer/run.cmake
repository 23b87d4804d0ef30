# Configures, builds and runs tests/consumer from scratch (ctest entry consumer_add_subdirectory).
# Inputs: SRC (this folder), BIN (a scratch build folder), S7 (libs/s7), GEN, CXX.
file(REMOVE_RECURSE ${BIN})
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${BIN} -G ${GEN} -DS7_SOURCE_DIR=${S7}
                        -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=Release
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the consumer failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BIN} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the consumer failed")
endif()
execute_process(COMMAND ${BIN}/s7_consumer RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message(STATUS "s7_consumer: ${out}")
if(NOT rc EQUAL 0 OR NOT out STREQUAL "ok\n")
  message(FATAL_ERROR "the consumer's checks failed")
endif()
