# Installation layout and the Debian package.
#   cmake --install build                 -> /usr/bin/rosterd, /lib/systemd/system/rosterd.service,
#                                            /usr/lib/{sysusers,tmpfiles}.d/rosterd.conf,
#                                            /etc/rosterd/rosterd.ini, rosterd(8)
#   cmake --install build --prefix /opt/x -> the same under /opt/x (the unit follows)
#   cd build && cpack                     -> rosterd_<version>_<arch>.deb
if(CMAKE_INSTALL_PREFIX_INITIALIZED_TO_DEFAULT)
  set(CMAKE_INSTALL_PREFIX /usr CACHE PATH "Install prefix" FORCE)
endif()
include(GNUInstallDirs)

# Man pages are shipped compressed (Debian policy 12.1).
set(ROSTERD_STAGE ${CMAKE_CURRENT_BINARY_DIR}/install)
add_custom_command(
  OUTPUT ${ROSTERD_STAGE}/rosterd.8.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${ROSTERD_STAGE}
  COMMAND gzip -9 -n -c ${CMAKE_CURRENT_SOURCE_DIR}/docs/rosterd.8 > ${ROSTERD_STAGE}/rosterd.8.gz
  DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/docs/rosterd.8
  COMMENT "Compressing rosterd(8)")
add_custom_target(rosterd_man ALL DEPENDS ${ROSTERD_STAGE}/rosterd.8.gz)
add_dependencies(rosterd rosterd_man)  # whoever builds the binary can install it

install(TARGETS rosterd RUNTIME DESTINATION bin)
install(FILES systemd/rosterd.sysusers DESTINATION lib/sysusers.d RENAME rosterd.conf)
install(FILES systemd/rosterd.tmpfiles DESTINATION lib/tmpfiles.d RENAME rosterd.conf)
install(FILES ${ROSTERD_STAGE}/rosterd.8.gz DESTINATION share/man/man8)
# Every document of docs/ but the man page (installed above); a test holds the package to it.
file(GLOB rosterd_docs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/docs/*)
list(REMOVE_ITEM rosterd_docs ${CMAKE_CURRENT_SOURCE_DIR}/docs/rosterd.8)
install(FILES ${rosterd_docs} README.md DESTINATION share/doc/rosterd)

# Paths that depend on the prefix are settled at install time, so `cmake --install --prefix X`
# and CPack (which installs with prefix /usr) both lay out a consistent tree: with prefix /usr the
# unit goes to /lib/systemd/system (where Debian's systemd keeps packaged units) and the config to
# /etc/rosterd; with any other prefix both stay under it. The unit's /usr/bin/rosterd and
# /etc/rosterd/ are rewritten to match.
set(ROSTERD_UNIT_SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/systemd/rosterd.service)
set(ROSTERD_INI_SOURCE ${CMAKE_CURRENT_SOURCE_DIR}/docs/rosterd.ini.example)
set(rosterd_install_code [[
  if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    set(rosterd_unit_dir /lib/systemd/system)
    set(rosterd_config_dir /etc/rosterd)
  else()
    set(rosterd_unit_dir ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
    set(rosterd_config_dir ${CMAKE_INSTALL_PREFIX}/etc/rosterd)
  endif()
  file(READ "@ROSTERD_UNIT_SOURCE@" rosterd_unit)
  string(REPLACE "/usr/bin/rosterd" "${CMAKE_INSTALL_PREFIX}/bin/rosterd" rosterd_unit "${rosterd_unit}")
  string(REPLACE "/etc/rosterd/" "${rosterd_config_dir}/" rosterd_unit "${rosterd_unit}")
  file(WRITE "@ROSTERD_STAGE@/unit/rosterd.service" "${rosterd_unit}")
  file(INSTALL DESTINATION "${rosterd_unit_dir}" TYPE FILE FILES "@ROSTERD_STAGE@/unit/rosterd.service")
  # The example holds no secret, but the file a site edits may: owner-writable, group-readable.
  file(INSTALL DESTINATION "${rosterd_config_dir}" TYPE FILE RENAME rosterd.ini
       PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ FILES "@ROSTERD_INI_SOURCE@")
  # The service user reads it through its group, as the package's postinst arranges; a staged
  # install (DESTDIR, CPack) leaves that to the postinst.
  if("$ENV{DESTDIR}" STREQUAL "")
    execute_process(COMMAND getent group rosterd RESULT_VARIABLE rosterd_group_missing OUTPUT_QUIET ERROR_QUIET)
    if(rosterd_group_missing EQUAL 0)
      execute_process(COMMAND chgrp rosterd "${rosterd_config_dir}" "${rosterd_config_dir}/rosterd.ini")
      execute_process(COMMAND chmod 0750 "${rosterd_config_dir}")
      message(STATUS "rosterd: ${rosterd_config_dir} and rosterd.ini now belong to group rosterd")
    else()
      message(STATUS "rosterd: no 'rosterd' group yet; after `systemd-sysusers rosterd.conf` run "
                     "`chgrp rosterd ${rosterd_config_dir} ${rosterd_config_dir}/rosterd.ini && "
                     "chmod 0750 ${rosterd_config_dir}` so the service can read its configuration")
    endif()
  endif()
]])
string(CONFIGURE "${rosterd_install_code}" rosterd_install_code @ONLY)
install(CODE "${rosterd_install_code}")

# The Debian package.
set(CPACK_GENERATOR DEB)
set(CPACK_SET_DESTDIR ON)  # install with prefix /usr into the staging root, as above expects
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_NAME rosterd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "rosterd maintainers <rosterd@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "users and groups reconciled with an LDAP directory")
set(CPACK_PACKAGE_DESCRIPTION "rosterd owns an application's users and groups: it reconciles them with an
LDAP directory, authenticates them, issues tokens and reports every change
through signed webhooks, behind a REST API.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The maintainer scripts create the system user with systemd-sysusers, or adduser without it.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd | adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql, slapd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)  # debug symbols belong in a -dbgsym package, not here
file(WRITE ${ROSTERD_STAGE}/conffiles "/etc/rosterd/rosterd.ini\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${ROSTERD_STAGE}/conffiles
    ${CMAKE_CURRENT_SOURCE_DIR}/systemd/debian/postinst
    ${CMAKE_CURRENT_SOURCE_DIR}/systemd/debian/prerm
    ${CMAKE_CURRENT_SOURCE_DIR}/systemd/debian/postrm)
include(CPack)
