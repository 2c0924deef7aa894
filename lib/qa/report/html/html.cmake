# The HTML report (qa-report --html): its page assembly, image comparison, previews and colour
# maps, input-side files, and the scripts and style sheets of the page, kept as real files here
# and embedded into the library at build time as raw string literals (no download, no xxd).
# Included from lib/qa/CMakeLists.txt after libqa.
find_package(PkgConfig REQUIRED)
pkg_check_modules(STB REQUIRED IMPORTED_TARGET stb)  # libstb.so holds stb_image{,_write,_resize}

set(QA_HTML_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(QA_HTML_NAMES k_report_dom_js k_report_charts_js k_report_optimization_js k_report_images_js
  k_report_detail_js k_report_js k_report_css k_report_images_css)
set(QA_HTML_RESOURCES "${QA_HTML_DIR}/dom.js" "${QA_HTML_DIR}/charts.js"
  "${QA_HTML_DIR}/optimization.js" "${QA_HTML_DIR}/images.js" "${QA_HTML_DIR}/detail.js"
  "${QA_HTML_DIR}/report.js" "${QA_HTML_DIR}/report.css" "${QA_HTML_DIR}/images.css")
string(REPLACE ";" "," QA_HTML_NAMES_ARG "${QA_HTML_NAMES}")
string(REPLACE ";" "," QA_HTML_FILES_ARG "${QA_HTML_RESOURCES}")
set(QA_HTML_HEADER "${CMAKE_CURRENT_BINARY_DIR}/include/qa/report/html_resources.hpp")
add_custom_command(
  OUTPUT "${QA_HTML_HEADER}"
  COMMAND "${CMAKE_COMMAND}" "-DOUTPUT=${QA_HTML_HEADER}" "-DNAMES=${QA_HTML_NAMES_ARG}"
          "-DFILES=${QA_HTML_FILES_ARG}"
          -P "${QA_HTML_DIR}/embed.cmake"
  DEPENDS ${QA_HTML_RESOURCES} "${QA_HTML_DIR}/embed.cmake"
  COMMENT "Embedding the HTML report's script and style sheet"
  VERBATIM)

target_sources(qa PRIVATE
  "${QA_HTML_DIR}/../html_assets.cpp"
  "${QA_HTML_DIR}/../html_report.cpp"
  "${QA_HTML_DIR}/../html_run_files.cpp"
  "${QA_HTML_DIR}/../colour_map.cpp"
  "${QA_HTML_DIR}/../image_compare.cpp"
  "${QA_HTML_DIR}/../image_preview.cpp"
  "${QA_HTML_HEADER}")
target_link_libraries(qa PRIVATE PkgConfig::STB)
