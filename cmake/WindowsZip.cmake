# `make windows`: dist/s7log-<version>-win64.zip with s7log.exe (stripped, statically linked),
# the README, the docs and the example configs, all under one folder s7log-<version>-win64/.
set(s7log_zip_name s7log-${PROJECT_VERSION}-win64)
set(s7log_zip_stage ${CMAKE_BINARY_DIR}/zip-stage)
set(s7log_zip ${PROJECT_SOURCE_DIR}/dist/${s7log_zip_name}.zip)
add_custom_target(
  windows_zip
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${s7log_zip_stage}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${s7log_zip_stage}/${s7log_zip_name}
          ${PROJECT_SOURCE_DIR}/dist
  COMMAND ${CMAKE_STRIP} -o ${s7log_zip_stage}/${s7log_zip_name}/s7log.exe $<TARGET_FILE:s7log>
  COMMAND ${CMAKE_COMMAND} -E copy ${PROJECT_SOURCE_DIR}/README.md
          ${s7log_zip_stage}/${s7log_zip_name}/README.md
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${PROJECT_SOURCE_DIR}/examples
          ${s7log_zip_stage}/${s7log_zip_name}/examples
  COMMAND ${CMAKE_COMMAND} -E copy_directory ${PROJECT_SOURCE_DIR}/docs
          ${s7log_zip_stage}/${s7log_zip_name}/docs
  COMMAND ${CMAKE_COMMAND} -E rm -f ${s7log_zip}
  COMMAND ${CMAKE_COMMAND} -E chdir ${s7log_zip_stage} ${CMAKE_COMMAND} -E tar cf ${s7log_zip}
          --format=zip ${s7log_zip_name}
  COMMAND ${CMAKE_COMMAND} -E echo "wrote ${s7log_zip}"
  DEPENDS s7log
  VERBATIM)
