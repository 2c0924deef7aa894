# Man pages, section 1, made by help2man from each tool's --help and --version once the tool is
# built (part of ALL when help2man is found; without it, no man page is built or installed).
# Each page is compressed with `gzip -9n` (no name, no time stamp: reproducible), as Debian wants.
#
#   qa_man_page(<target> <command name> "<one-line description for NAME>")

find_program(QA_HELP2MAN help2man)
set(QA_MAN_DIR "${PROJECT_BINARY_DIR}/man")
set(QA_MAN_INCLUDE "${PROJECT_SOURCE_DIR}/packaging/man/qatools.h2m")

if(QA_HELP2MAN)
  add_custom_target(qa_man_pages ALL)
endif()

function(qa_man_page target name description)
  if(NOT QA_HELP2MAN)
    return()
  endif()
  set(page "${QA_MAN_DIR}/${name}.1")
  # An ASan build's tools run too: its leak check would only add noise to the page's build.
  add_custom_command(
    OUTPUT "${page}.gz"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${QA_MAN_DIR}"
    COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0 LC_ALL=C.UTF-8
            "${QA_HELP2MAN}" --no-info --section=1
            "--name=${description}" "--include=${QA_MAN_INCLUDE}"
            "--output=${page}" "$<TARGET_FILE:${target}>"
    COMMAND gzip -9nf "${page}"
    DEPENDS ${target} "${QA_MAN_INCLUDE}"
    COMMENT "Generating man page ${name}.1 with help2man"
    VERBATIM)
  add_custom_target(qa_man_${target} DEPENDS "${page}.gz")
  add_dependencies(qa_man_pages qa_man_${target})
  install(FILES "${page}.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
endfunction()
