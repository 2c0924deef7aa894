# The Debian package (CPack's DEB generator): `make package` runs cpack on build/release and
# writes build/release/package/qatools_<version>-<revision>_<arch>.deb, checked by
# tests/package/check-deb (lintian included). Its files are the install tree of
# cmake/Install.cmake under /usr, binaries stripped.
#
# Depends is filled by dpkg-shlibdeps (dpkg-dev) from the libraries the tools link (libgit2,
# yaml-cpp, libcurl, xxhash, fmt, libstdc++, ...). python3 is only Recommended: the tools and
# `qa` are C++ and need it only to run QA-Board entrypoints (project.entrypoint), where a
# missing python3 is an error that says so. git is only Suggested: libgit2 reads repositories,
# the tools never run git.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME qatools)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${QA_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_VENDOR "the qatools authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "CI-native QA toolchain for algorithm engineers")
# The extended description: lines under 80 characters, as lintian wants.
string(CONCAT CPACK_PACKAGE_DESCRIPTION
  "On every commit, qatools runs a program on a database of inputs, records\n"
  "every output and metric under the git commit that produced it in a\n"
  "content-addressed store, tells whether outputs changed bit for bit against\n"
  "a reference commit and reports which metrics got better or worse (text,\n"
  "Markdown, HTML, JUnit, OpenMetrics, JSON).\n"
  "\n"
  "It ships the commands qa-run, qa-batch, qa-get, qa-bitacc and qa-report,\n"
  "composed through JSON Lines, qa-store, which verifies and prunes a store,\n"
  "and qa, which accepts QA-Board's command line;\n"
  "it reads QA-Board's qaboard.yaml and runs its Python entrypoints. The\n"
  "GitLab and GitHub CI templates are in /usr/share/qatools/ci-templates.")
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/package")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${QA_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_RELEASE "${QA_DEB_RELEASE}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS python3)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "git, xxhash")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

include(CPack)
