# What `cmake --install` puts where (GNUInstallDirs; the .deb of cmake/Package.cmake holds the
# same tree under /usr). The tools install from tools/; examples, benchmarks and tests never do.
#
#   bin/                                   qa-run qa-batch qa-get qa-bitacc qa-report qa-store qa
#   share/qatools/python/                  the Python module of QA-Board entrypoints (python/),
#                                          found by the tools at <bin>/../share/qatools/python
#   share/qatools/ci-templates/            ci-templates/ (GitLab and GitHub), when it exists
#   share/qatools/viewers/                 plotly.js (npm, lib/qa/report/viewers), found by
#                                          qa-report at <bin>/../share/qatools/viewers
#   share/man/man1/<tool>.1.gz             from help2man (cmake/ManPages.cmake)
#   share/bash-completion/completions/     packaging/bash-completion/qatools, once per command
#   share/doc/qatools/                     README.md, copyright, changelog.Debian.gz
include(ManPages)

set(QA_TOOLS qa-run qa-batch qa-get qa-bitacc qa-report qa-store qa)

# runner::python_module_dir() (lib/qa/runner/entrypoint.cpp) looks for it at
# <the tool's folder>/../share/qatools/python: with a BINDIR or DATADIR other than bin and share,
# set QA_PYTHON_DIR where the tools run.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/python/"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/qatools/python"
  FILES_MATCHING PATTERN "*.py"
  PATTERN "__pycache__" EXCLUDE)

# The libraries of the report's output viewers, copied into the build tree by
# lib/qa/report/html/html.cmake when scripts/bootstrap installed them (report/viewer_library.hpp
# looks for them like python_module_dir; QA_VIEWERS_DIR overrides).
install(FILES "${PROJECT_BINARY_DIR}/share/qatools/viewers/plotly-strict.min.js"
  "${PROJECT_BINARY_DIR}/share/qatools/viewers/plotly.js-LICENSE"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/qatools/viewers" OPTIONAL)

# ci-templates/ may not exist yet in a checkout; what only its tests use stays out. Files are
# 0644 whatever the checkout's umask, shell scripts (which jobs may run directly) 0755.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/ci-templates/"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/qatools/ci-templates"
  OPTIONAL
  PATTERN "*.sh" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
    WORLD_READ WORLD_EXECUTE
  PATTERN "test" EXCLUDE
  PATTERN "tests" EXCLUDE
  PATTERN "*_test.*" EXCLUDE
  PATTERN "*.test.*" EXCLUDE
  PATTERN "node_modules" EXCLUDE
  PATTERN ".gitignore" EXCLUDE
  PATTERN ".gitlab-ci-local" EXCLUDE)

foreach(tool IN LISTS QA_TOOLS)
  install(FILES "${PROJECT_SOURCE_DIR}/packaging/bash-completion/qatools"
    DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions" RENAME "${tool}")
endforeach()

qa_man_page(qa-run qa-run "run the project's command on one input and record its outputs")
qa_man_page(qa-batch qa-batch "run batches of inputs and configurations in parallel")
qa_man_page(qa-get qa-get "resolve commits and references, fetch stored outputs")
qa_man_page(qa-bitacc qa-bitacc "check that outputs are bit-identical to the reference commit's")
qa_man_page(qa-report qa-report "compare a commit's results with its reference")
qa_man_page(qa-store qa-store "keep a store healthy: verify blobs, collect garbage, count")
qa_man_page(qa-cmd qa "QA-Board's command line, run by the qatools tools")

# Debian wants the changelog compressed without a name or time stamp (gzip -n).
set(QA_PACKAGE_MAINTAINER "qatools developers <dev@qatools.invalid>" CACHE STRING
  "Maintainer of the Debian package and of its changelog entry")
set(QA_DEB_RELEASE 1 CACHE STRING "Debian revision of the package (version ${PROJECT_VERSION}-<this>)")
configure_file("${PROJECT_SOURCE_DIR}/packaging/changelog.Debian.in"
  "${PROJECT_BINARY_DIR}/packaging/changelog.Debian" @ONLY)
execute_process(COMMAND gzip -9nc "${PROJECT_BINARY_DIR}/packaging/changelog.Debian"
  OUTPUT_FILE "${PROJECT_BINARY_DIR}/packaging/changelog.Debian.gz" COMMAND_ERROR_IS_FATAL ANY)
install(FILES
  "${PROJECT_SOURCE_DIR}/README.md"
  "${PROJECT_SOURCE_DIR}/packaging/copyright"
  "${PROJECT_BINARY_DIR}/packaging/changelog.Debian.gz"
  DESTINATION "${CMAKE_INSTALL_DOCDIR}")
