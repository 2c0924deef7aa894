#include <qa/report/html_report.hpp>

#include <qa/report/ci_links.hpp>
#include <qa/report/format.hpp>
#include <qa/report/html_assets.hpp>
#include <qa/report/html_resources.hpp>
#include <qa/report/report_json.hpp>
#include <qa/report/verdict.hpp>
#include <qa/util/atomic_file.hpp>
#include <qa/util/escape.hpp>
#include <qa/util/file.hpp>

#include <optional>
#include <string_view>

namespace qa::report {

namespace fs = std::filesystem;

void append_script_safe(std::string_view text, std::string& out) {
  out.reserve(out.size() + text.size() + text.size() / 16);
  // Plain bytes are copied a run at a time; the few that must be escaped, one by one.
  std::size_t plain = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '<' && c != '>' && c != '&' && c != '\xE2') {
      continue;
    }
    out.append(text, plain, i - plain);
    plain = i + 1;
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (i + 2 < text.size() && text[i + 1] == '\x80' &&
               (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
      out += text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
      plain = i + 1;
    } else {
      out += c;
    }
  }
  out.append(text, plain, text.size() - plain);
}

std::string json_for_script(const nlohmann::json& json) {
  std::string out;
  append_script_safe(dump_json(json), out);
  return out;
}

namespace {

// Content Security Policy of the page: inline script and style only, images from the page's own
// folder; nothing can be fetched, framed or submitted. Scripts also load from the page's folder
// ('self' file:): the output viewers' data assets (data_asset.hpp), added as <script src> when a
// run is opened because a page on file:// cannot fetch, and plotly.js, copied there. Media too:
// the videos of the video viewer, copied into the assets folder. An HTML output shows in an
// iframe with srcdoc and sandbox="" (no scripts): it inherits this policy.
constexpr std::string_view k_csp =
    "default-src 'none'; script-src 'unsafe-inline' 'self' file:; style-src 'unsafe-inline'; "
    "img-src 'self' file:; media-src 'self' file:; base-uri 'none'; form-action 'none'";

// The page's header: `verdict`, the comparison's under its gate, what is compared with what and
// why, and links to the commit, the merge request and the CI job when the CI says them (see
// ci_links.hpp), and to the branch's metric history (qa-report --history-url).
std::string page_header(const Comparison& comparison, const Verdict& verdict) {
  std::string html = fmt::format(
      "<header class=\"qa-top\">\n<h1 id=\"qa-headline\" class=\"qa-verdict {0}\" "
      "data-passed=\"{1}\"><span class=\"qa-verdict-word\">{0}</span> {2} "
      "<span class=\"qa-gate\">(gate: {3})</span></h1>\n",
      verdict.passed ? "passed" : "failed", verdict.passed ? "true" : "false",
      util::xml_escape(verdict.why), gate_description(verdict.gate));
  html += fmt::format("<p id=\"qa-compared\">{}</p>\n", util::xml_escape(headline(comparison)));
  std::string links;
  for (const auto& link : shown_links(comparison.links)) {
    links +=
        link.external
            ? fmt::format("<a href=\"{}\" rel=\"noopener noreferrer\" target=\"_blank\">{}</a>",
                          util::xml_escape(link.url), link.name)
            : fmt::format("<a class=\"qa-history-link\" href=\"{}\">{}</a>",
                          util::xml_escape(link.url), link.name);
  }
  if (!links.empty()) {
    html += "<nav id=\"qa-ci-links\" class=\"qa-ci-links\">" + links + "</nav>\n";
  }
  return html + "</header>\n";
}

// The page up to the data element's content.
std::string page_head(const Comparison& comparison) {
  const std::string short_commit = comparison.commit.substr(0, 12);
  const Verdict verdict = judge(comparison);
  const std::string title =
      util::xml_escape(fmt::format("{} · qa-report {} {}", verdict.passed ? "passed" : "failed",
                                   comparison.project, short_commit));
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta http-equiv=\"Content-Security-Policy\" content=\"";
  html += k_csp;
  html += "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<meta name=\"generator\" content=\"qa-report\">\n";
  html += "<meta name=\"color-scheme\" content=\"light dark\">\n";
  html += "<title>" + title + "</title>\n<style>\n";
  html += k_report_css;
  html += k_report_tuning_css;
  html += k_report_viewers_css;
  html += k_report_images_css;
  html += "</style>\n</head>\n<body>\n" + page_header(comparison, verdict);
  html +=
      "<main id=\"qa-app\"><noscript><p>This report needs JavaScript to render; its data is "
      "the qa.report/1 JSON below.</p></noscript></main>\n";
  html += "<script type=\"application/json\" id=\"qa-data\">";
  return html;
}

// The page after the data element's content.
std::string page_tail() {
  // The parts of the script share one block scope, so that nothing leaks to the window.
  std::string html = "</script>\n<script>\n'use strict';\n{\n";
  for (const std::string_view part :
       {k_report_dom_js, k_report_charts_js, k_report_optimization_js, k_report_tuning_js,
        k_report_assets_js, k_report_viewers_js, k_report_pointcloud_js, k_report_images_js,
        k_report_detail_js, k_report_js}) {
    html += part;
  }
  html += "}\n</script>\n</body>\n</html>\n";
  return html;
}

}  // namespace

Expected<void> write_html_report(const Comparison& comparison, const HtmlOptions& options) {
  if (options.html_path.empty()) {
    return fail("cannot write the html report: no file name");
  }
  const fs::path assets_dir =
      options.assets_dir.empty()
          ? options.html_path.parent_path() / (options.html_path.stem().string() + "-assets")
          : options.assets_dir;
  const AssetFolder folder = asset_folder(options.html_path, assets_dir);
  auto extras = collect_html_extras(comparison, folder, options.fetch, options.input_side);
  if (!extras) {
    return with_context(fmt::format("cannot write {}", quote(options.html_path.string())),
                        std::move(extras).error());
  }
  std::optional<util::AtomicFile> json_file;
  if (!options.json_path.empty()) {
    QA_TRY(util::create_dirs(
        options.json_path.parent_path().empty() ? fs::path(".") : options.json_path.parent_path()));
    QA_TRY_ASSIGN(auto created, util::AtomicFile::create(options.json_path));
    json_file.emplace(std::move(created));
  }
  Expected<void> json_written;
  // The data, {"report": qa.report/1, "extras": [...]}, is streamed: a report of 100,000 runs
  // is never held as one document. The report's pieces are whole runs, so that no piece splits
  // a UTF-8 sequence that append_script_safe must escape.
  QA_TRY(util::write_file_atomic_streamed(
      options.html_path,
      [&](const std::function<void(std::string_view)>& sink) {
        sink(page_head(comparison));
        std::string safe;
        const auto write_safe = [&](std::string_view text) {
          safe.clear();
          append_script_safe(text, safe);
          sink(safe);
        };
        sink("{\"report\":");
        write_report_json(comparison, options.generated_at, [&](std::string_view piece) {
          if (json_file && json_written) {
            json_written = json_file->write(piece);
          }
          write_safe(piece);
        });
        sink(",\"extras\":");
        write_safe(*extras);
        sink("}");
        sink(page_tail());
      },
      util::Fsync::no));
  if (json_file) {
    QA_TRY(json_written);
    QA_TRY(json_file->commit(util::Fsync::no));
  }
  return {};
}

}  // namespace qa::report
