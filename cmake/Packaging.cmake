# The Debian package (`make package`: cpack -G DEB in build/release). It holds everything
# `cmake --install` installs (program, live module, man pages, bash completion, examples, docs)
# plus, in the install component `service` that only the package installs: the systemd units,
# the s7log system user (sysusers.d), /etc/s7log/example.toml and /etc/default/s7log-fakeplc.
# Package dependencies come from dpkg-shlibdeps; none are listed by hand.
include(GNUInstallDirs)
find_package(PkgConfig QUIET)

# The package installs under /usr; the units and maintainer scripts name these paths.
set(S7LOG_PACKAGE_PREFIX /usr)
set(S7LOG_BIN ${S7LOG_PACKAGE_PREFIX}/bin/s7log)
set(S7LOG_SYSCONFDIR /etc)
set(S7LOG_DOCDIR ${S7LOG_PACKAGE_PREFIX}/share/doc/s7log)
# Where this distribution's systemd looks (Debian 12: /lib/systemd/system, /usr/lib/sysusers.d).
set(S7LOG_UNIT_DIR /lib/systemd/system)
set(S7LOG_SYSUSERS_DIR /usr/lib/sysusers.d)
if(PKG_CONFIG_FOUND)
  pkg_get_variable(unit_dir systemd systemdsystemunitdir)
  pkg_get_variable(sysusers_dir systemd sysusersdir)
  if(unit_dir)
    set(S7LOG_UNIT_DIR ${unit_dir})
  endif()
  if(sysusers_dir)
    set(S7LOG_SYSUSERS_DIR ${sysusers_dir})
  endif()
endif()

set(pkg_src ${PROJECT_SOURCE_DIR}/packaging)
set(pkg_out ${PROJECT_BINARY_DIR}/packaging)
foreach(unit s7log@.service s7log-fakeplc.service)
  configure_file(${pkg_src}/systemd/${unit}.in ${pkg_out}/systemd/${unit} @ONLY)
endforeach()
foreach(script postinst prerm postrm conffiles)
  configure_file(${pkg_src}/debian/${script}.in ${pkg_out}/debian/${script} @ONLY)
endforeach()

# /etc/s7log/example.toml: the course's setup as `s7log run --print-config` prints it (generated
# from the built program, like the man pages). `systemctl start s7log@example` uses it.
if(NOT CMAKE_CROSSCOMPILING)
  add_custom_command(
    OUTPUT ${pkg_out}/example.toml
    COMMAND ${CMAKE_COMMAND} -DS7LOG=$<TARGET_FILE:s7log> -DOUT=${pkg_out}/example.toml -P
            ${pkg_src}/example_config.cmake
    DEPENDS s7log ${pkg_src}/example_config.cmake
    COMMENT "Generating /etc/s7log/example.toml from s7log run --print-config"
    VERBATIM)
  add_custom_target(s7log_example_config ALL DEPENDS ${pkg_out}/example.toml)
  install(FILES ${pkg_out}/example.toml DESTINATION ${S7LOG_SYSCONFDIR}/s7log
          COMPONENT service EXCLUDE_FROM_ALL)
endif()
install(FILES ${pkg_src}/default-s7log-fakeplc DESTINATION ${S7LOG_SYSCONFDIR}/default
        RENAME s7log-fakeplc COMPONENT service EXCLUDE_FROM_ALL)
install(FILES ${pkg_out}/systemd/s7log@.service ${pkg_out}/systemd/s7log-fakeplc.service
        DESTINATION ${S7LOG_UNIT_DIR} COMPONENT service EXCLUDE_FROM_ALL)
install(FILES ${pkg_src}/sysusers.conf DESTINATION ${S7LOG_SYSUSERS_DIR} RENAME s7log.conf
        COMPONENT service EXCLUDE_FROM_ALL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME s7log)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(S7LOG_PACKAGE_CONTACT "s7log maintainers <s7log@localhost>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_PACKAGE_CONTACT ${S7LOG_PACKAGE_CONTACT})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "S7 PLC data logger, fake PLC and tools (S7comm)")
# The extended description (dpkg shows the summary above it).
string(CONCAT CPACK_DEBIAN_PACKAGE_DESCRIPTION
       "s7log speaks S7comm (PUT/GET over ISO-on-TCP) with Siemens S7-300/400/1200/1500 PLCs: it\n"
       "logs tags to CSV files with a live chart, reads and writes addresses, and runs a fake\n"
       "PLC for tests. s7log@.service runs a logger for each /etc/s7log/NAME.toml.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${S7LOG_PACKAGE_PREFIX})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # s7log_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${pkg_out}/debian/postinst ${pkg_out}/debian/prerm
                                       ${pkg_out}/debian/postrm ${pkg_out}/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# One package of both install components (the default one and `service`).
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_COMPONENTS_ALL Unspecified service)
set(CPACK_SOURCE_GENERATOR "")
include(CPack)
