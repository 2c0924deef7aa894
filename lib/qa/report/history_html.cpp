#include <qa/report/history_html.hpp>

#include <fmt/format.h>

#include <qa/report/html_report.hpp>
#include <qa/report/html_resources.hpp>
#include <qa/util/atomic_file.hpp>
#include <qa/util/escape.hpp>

namespace qa::report {

namespace {

// Content Security Policy of the page: the report's (html_report.cpp), less images, which the
// history page has none of: inline script and style only; nothing can be fetched, framed or
// submitted.
constexpr std::string_view k_history_csp =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'";

}  // namespace

Expected<void> write_history_html(const History& history, const std::filesystem::path& html_path,
                                  const std::string& generated_at) {
  if (html_path.empty()) {
    return fail("cannot write the html history: no file name");
  }
  const std::string title =
      util::xml_escape(fmt::format("qa-report history: {} {}", history.project, history.branch));
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta http-equiv=\"Content-Security-Policy\" content=\"";
  html += k_history_csp;
  html += "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<meta name=\"generator\" content=\"qa-report\">\n";
  html += "<title>" + title + "</title>\n<style>\n";
  html += k_report_css;
  html += k_history_css;
  html += "</style>\n</head>\n<body>\n<header class=\"qa-top\"><h1>" + title + "</h1></header>\n";
  html +=
      "<main id=\"qa-app\"><noscript><p>This page needs JavaScript to render; its data is the "
      "qa.history/1 JSON below.</p></noscript></main>\n";
  html += "<script type=\"application/json\" id=\"qa-data\">";
  html += json_for_script(nlohmann::json{{"history", history_to_json(history, generated_at)}});
  // The parts share one block scope, so that nothing leaks to the window.
  html += "</script>\n<script>\n'use strict';\n{\n";
  html += k_report_dom_js;
  html += k_history_js;
  html += "}\n</script>\n</body>\n</html>\n";
  return util::write_file_atomic(html_path, html, util::Fsync::no);
}

}  // namespace qa::report
