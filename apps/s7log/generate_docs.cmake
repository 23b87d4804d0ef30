# cmake -P script run by the build: the man pages (gzip -9n, as Debian ships them) and the bash
# completion, written by the built program from its own command line.
# -DS7LOG=<the s7log binary> -DGZIP=<gzip> -DOUT=<folder>; touches <folder>/stamp when done.
function(run_s7log)
  execute_process(COMMAND ${S7LOG} ${ARGN} RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "s7log ${ARGN} failed (${rc}): ${err}")
  endif()
endfunction()

file(REMOVE_RECURSE ${OUT}/man)  # no page of a command that is gone
run_s7log(manpage --out-dir ${OUT}/man)
file(GLOB pages ${OUT}/man/*.1)
if(NOT pages)
  message(FATAL_ERROR "s7log manpage wrote no pages into ${OUT}/man")
endif()
foreach(page ${pages})
  execute_process(COMMAND ${GZIP} -9nf ${page} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${page} failed (${rc})")
  endif()
endforeach()
execute_process(COMMAND ${S7LOG} completion bash OUTPUT_FILE ${OUT}/s7log.bash
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "s7log completion bash failed (${rc}): ${err}")
endif()
file(TOUCH ${OUT}/stamp)
