# The HTML report (qa-report --html): its page assembly, image comparison, previews and colour
# maps, input-side files, and the scripts and style sheets of the page, kept as real files here
# and embedded into the library at build time as raw string literals (no download, no xxd).
# Included from lib/qa/CMakeLists.txt after libqa.
find_package(PkgConfig REQUIRED)
pkg_check_modules(STB REQUIRED IMPORTED_TARGET stb)  # libstb.so holds stb_image{,_write,_resize}

set(QA_HTML_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(QA_HTML_NAMES k_report_dom_js k_report_charts_js k_report_optimization_js k_report_tuning_js
  k_report_assets_js k_report_viewers_js k_report_pointcloud_js k_report_images_js
  k_report_detail_js k_report_js k_report_css k_report_tuning_css k_report_viewers_css
  k_report_images_css k_history_js k_history_css)
set(QA_HTML_RESOURCES "${QA_HTML_DIR}/dom.js" "${QA_HTML_DIR}/charts.js"
  "${QA_HTML_DIR}/optimization.js" "${QA_HTML_DIR}/tuning.js" "${QA_HTML_DIR}/assets.js"
  "${QA_HTML_DIR}/viewers.js" "${QA_HTML_DIR}/pointcloud.js" "${QA_HTML_DIR}/images.js"
  "${QA_HTML_DIR}/detail.js" "${QA_HTML_DIR}/report.js" "${QA_HTML_DIR}/report.css"
  "${QA_HTML_DIR}/tuning.css" "${QA_HTML_DIR}/viewers.css" "${QA_HTML_DIR}/images.css"
  "${QA_HTML_DIR}/history.js" "${QA_HTML_DIR}/history.css")
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
  "${QA_HTML_DIR}/../data_asset.cpp"
  "${QA_HTML_DIR}/../html_assets.cpp"
  "${QA_HTML_DIR}/../html_outputs.cpp"
  "${QA_HTML_DIR}/../html_report.cpp"
  "${QA_HTML_DIR}/../history_html.cpp"
  "${QA_HTML_DIR}/../html_run_files.cpp"
  "${QA_HTML_DIR}/../colour_map.cpp"
  "${QA_HTML_DIR}/../image_compare.cpp"
  "${QA_HTML_DIR}/../image_preview.cpp"
  "${QA_HTML_DIR}/../output_kind.cpp"
  "${QA_HTML_DIR}/../output_payload.cpp"
  "${QA_HTML_DIR}/../point_cloud.cpp"
  "${QA_HTML_DIR}/../viewer_library.cpp"
  "${QA_HTML_HEADER}")
target_link_libraries(qa PRIVATE PkgConfig::STB)

# The libraries of the output viewers (lib/qa/report/viewers: npm, locked, `npm ci` by
# scripts/bootstrap): copied into the build tree's share/qatools/viewers, where qa-report finds
# them beside its folder as in the install tree (report/viewer_library.hpp). Without them, plotly
# figures are shown as tables.
set(QA_VIEWERS_SOURCE "${QA_HTML_DIR}/../viewers")
set_source_files_properties("${QA_HTML_DIR}/../viewer_library.cpp" PROPERTIES
  COMPILE_DEFINITIONS "QA_SOURCE_VIEWERS_DIR=\"${QA_VIEWERS_SOURCE}\"")
set(QA_PLOTLY_JS "${QA_VIEWERS_SOURCE}/node_modules/plotly.js-strict-dist-min/plotly-strict.min.js")
set(QA_VIEWERS_BUILD_DIR "${PROJECT_BINARY_DIR}/share/qatools/viewers")
if(EXISTS "${QA_PLOTLY_JS}")
  add_custom_command(
    OUTPUT "${QA_VIEWERS_BUILD_DIR}/plotly-strict.min.js" "${QA_VIEWERS_BUILD_DIR}/plotly.js-LICENSE"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${QA_VIEWERS_BUILD_DIR}"
    COMMAND "${CMAKE_COMMAND}" -E copy "${QA_PLOTLY_JS}" "${QA_VIEWERS_BUILD_DIR}/plotly-strict.min.js"
    COMMAND "${CMAKE_COMMAND}" -E copy "${QA_VIEWERS_SOURCE}/node_modules/plotly.js-strict-dist-min/LICENSE"
            "${QA_VIEWERS_BUILD_DIR}/plotly.js-LICENSE"
    DEPENDS "${QA_PLOTLY_JS}"
    COMMENT "Copying plotly.js for the report's plotly viewer"
    VERBATIM)
  add_custom_target(qa_report_viewers ALL
    DEPENDS "${QA_VIEWERS_BUILD_DIR}/plotly-strict.min.js")
  add_dependencies(qa qa_report_viewers)
  message(STATUS "plotly.js for the report's plotly viewer: ${QA_PLOTLY_JS}")
else()
  message(STATUS "plotly.js for the report's plotly viewer: not installed (scripts/bootstrap "
    "runs npm ci in lib/qa/report/viewers); plotly figures are shown as tables")
endif()
