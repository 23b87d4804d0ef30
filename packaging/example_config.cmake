# cmake -P script run by the build: /etc/s7log/example.toml for the package, a few lines on the
# service and then `s7log run --print-config` (the course's setup, from the built program).
# -DS7LOG=<the s7log binary> -DOUT=<file>
execute_process(COMMAND ${S7LOG} run --print-config OUTPUT_VARIABLE config RESULT_VARIABLE rc
                ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "s7log run --print-config failed (${rc}): ${err}")
endif()
file(WRITE ${OUT}
     "# /etc/s7log/example.toml: `systemctl start s7log@example` logs with this file as the s7log\n"
     "# user into /var/lib/s7log/example/ (a relative `out` lands there). For another logger,\n"
     "# copy it to /etc/s7log/NAME.toml and start s7log@NAME. Below: `s7log run --print-config`.\n"
     "\n"
     "${config}")
