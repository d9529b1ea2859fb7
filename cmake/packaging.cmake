# The Debian package (scripts/package.sh; `cpack -G DEB` in a built tree):
# shoal_<version>_amd64.deb with the binary, a man page made from --help, an
# example start-up config, /etc/default/shoal and a systemd unit that is
# installed but not enabled.
include(GNUInstallDirs)
install(TARGETS shoal RUNTIME DESTINATION bin)

set(SHOAL_MAN_PAGE ${CMAKE_BINARY_DIR}/shoal.1)
add_custom_command(
  OUTPUT ${SHOAL_MAN_PAGE}
  COMMAND ${CMAKE_COMMAND} -DBINARY=$<TARGET_FILE:shoal> -DOUTPUT=${SHOAL_MAN_PAGE} -DVERSION=${PROJECT_VERSION}
          -P ${CMAKE_SOURCE_DIR}/cmake/man_page.cmake
  DEPENDS shoal ${CMAKE_SOURCE_DIR}/cmake/man_page.cmake
  COMMENT "Writing the man page from shoal --help")
add_custom_target(shoal_man_page ALL DEPENDS ${SHOAL_MAN_PAGE})
install(FILES ${SHOAL_MAN_PAGE} DESTINATION share/man/man1)
install(FILES ${CMAKE_SOURCE_DIR}/docker/shoal-config.yaml DESTINATION share/doc/shoal/examples)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/shoal.service DESTINATION lib/systemd/system)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/shoal.default DESTINATION /etc/default RENAME shoal)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME shoal)
set(CPACK_PACKAGE_CONTACT "Shoal maintainers <shoal@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Local emulator of Amazon SQS and Amazon Kinesis Data Streams")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # shoal_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # libc6 only when linked as the release build
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_SOURCE_DIR}/packaging/conffiles)  # /etc/default/shoal is the admin's
include(CPack)
