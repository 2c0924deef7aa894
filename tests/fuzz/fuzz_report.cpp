// Fuzz the report writers: the input is JSON Lines of run records (lines that are not a valid
// record are skipped). They are compared, as qa-report does, with a reference made of the same
// records with some metric values changed, removed or added, and a run dropped on either side
// (all chosen from the input's bytes), then written in every format: text, Markdown, JUnit,
// OpenMetrics, qa.report/1 JSON and the HTML page; the bit-accuracy writers run on the same
// records. Invariants that must always hold abort when broken:
// - the JSON reports parse as JSON;
// - the Markdown summary holds at most its `max_chars`;
// - every JUnit `<testcase` is closed (`/>` or `</testcase>` before the next one);
// - the HTML page holds no more `<script` than a page without runs: record strings are escaped.

#include <qa/core/metric_defs.hpp>
#include <qa/core/run_record.hpp>
#include <qa/report/bitacc_writers.hpp>
#include <qa/report/html_report.hpp>
#include <qa/report/report_json.hpp>
#include <qa/report/report_writers.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz_target.hpp"

namespace {

namespace fs = std::filesystem;
using qa::core::RunRecord;

// The most records of one input that are compared (the writers are linear in them).
constexpr std::size_t k_max_records = 200;

// The metrics file: two declared metrics with tolerances and targets, one main.
constexpr std::string_view k_metrics_yaml = R"(available_metrics:
  psnr: {label: PSNR, short_label: PSNR, suffix: ' dB', smaller_is_better: false, target: 30, precision: 2, tolerance: 0.01}
  mse: {label: Mean squared error, short_label: MSE, precision: 1, tolerance: 0.5}
  time: {label: Time, short_label: T, suffix: ' s'}
main_metrics: [psnr, mse]
)";

[[noreturn]] void broken(const char* what, std::string_view output) {
  std::fprintf(
      stderr, "fuzz_report: invariant broken: %s\n--- output (%zu bytes, first 4000)\n%.*s\n", what,
      output.size(), static_cast<int>(std::min<std::size_t>(output.size(), 4000)), output.data());
  std::abort();
}

// Return how many times `needle` (lowercase) occurs in `text`, ignoring case.
std::size_t count_ignoring_case(std::string_view text, std::string_view needle) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::size_t count = 0;
  for (std::size_t pos = lower.find(needle); pos != std::string::npos;
       pos = lower.find(needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

// Abort unless every `<testcase` of `xml` is closed before the next one starts.
void check_junit(std::string_view xml) {
  constexpr std::string_view open = "<testcase";
  constexpr std::string_view close = "</testcase>";
  for (std::size_t pos = xml.find(open); pos != std::string_view::npos;) {
    const std::size_t next = xml.find(open, pos + open.size());
    const std::size_t end = xml.find('>', pos);
    if (end == std::string_view::npos || end > next) {
      broken("a <testcase element is not closed", xml);
    }
    if (xml[end - 1] != '/') {
      const std::size_t closing = xml.find(close, end);
      if (closing == std::string_view::npos || closing > next) {
        broken("a <testcase has no </testcase> before the next one", xml);
      }
    }
    pos = next;
  }
}

void check_json(const std::string& text) {
  if (!nlohmann::json::accept(text)) {
    broken("a JSON report does not parse", text);
  }
}

const qa::core::MetricDefs& metric_defs() {
  static const qa::core::MetricDefs defs = [] {
    const auto file = qa::fuzz::write_temp_file("report/metrics.yaml", k_metrics_yaml);
    auto loaded = qa::core::load_metric_defs(file);
    if (!loaded) {
      std::fprintf(stderr, "fuzz_report: %s\n", loaded.error().message.c_str());
      std::abort();
    }
    return *loaded;
  }();
  return defs;
}

// Write `comparison` as HTML and return the page.
std::string html_of(const qa::report::Comparison& comparison) {
  qa::report::HtmlOptions options;
  options.html_path = qa::fuzz::temp_folder() / "report/report.html";
  options.generated_at = "2026-11-25T03:00:00Z";
  if (const auto written = qa::report::write_html_report(comparison, options); !written) {
    std::fprintf(stderr, "fuzz_report: %s\n", written.error().message.c_str());
    std::abort();
  }
  std::ifstream in(options.html_path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The number of `<script` and `</script` of a page without runs.
const std::pair<std::size_t, std::size_t>& empty_page_scripts() {
  static const std::pair<std::size_t, std::size_t> counts = [] {
    const auto comparison = qa::report::compare({}, {}, metric_defs(), {});
    const std::string html = html_of(comparison);
    return std::pair{count_ignoring_case(html, "<script"), count_ignoring_case(html, "</script")};
  }();
  return counts;
}

// Change the numeric metrics of `record` as `seed` says: scaled, shifted, removed or kept.
void perturb(RunRecord& record, std::uint32_t seed) {
  if (!record.metrics.is_object()) {
    return;
  }
  std::vector<std::string> removed;
  std::uint32_t step = seed;
  for (auto& [name, value] : record.metrics.items()) {
    step = step * 1103515245U + 12345U;
    if (!value.is_number()) {
      continue;
    }
    switch ((step >> 16) % 5) {
      case 0:
        value = value.get<double>() * 1.5;
        break;
      case 1:
        value = value.get<double>() - 1.0;
        break;
      case 2:
        removed.push_back(name);
        break;
      case 3:
        value = 0;
        break;
      default:
        break;
    }
  }
  for (const auto& name : removed) {
    record.metrics.erase(name);
  }
  if (seed % 7 == 0) {
    record.metrics["psnr"] = 29.0 + static_cast<double>(seed % 3);
  }
  if (seed % 11 == 0) {
    record.files.clear();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = qa::fuzz::as_text(data, size);
  std::vector<RunRecord> records;
  for (std::size_t start = 0; start < text.size() && records.size() < k_max_records;) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    if (auto record = qa::core::parse_record(text.substr(start, end - start), "fuzz input")) {
      records.push_back(std::move(*record));
    }
    start = end + 1;
  }
  std::uint32_t seed = 0;
  for (std::size_t i = 0; i < size; ++i) {
    seed = seed * 31U + data[i];
  }
  std::vector<RunRecord> references;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i == 0 && seed % 3 == 1) {
      continue;  // a new run
    }
    references.push_back(records[i]);
    perturb(references.back(), seed + static_cast<std::uint32_t>(i));
  }
  std::vector<RunRecord> news = records;
  if (!news.empty() && seed % 3 == 2) {
    news.pop_back();  // a missing run
  }

  // Bit accuracy, as qa-bitacc does: each record against the reference of its key.
  qa::report::BitaccReport bitacc;
  for (const auto& record : news) {
    const auto reference = std::find_if(references.begin(), references.end(),
                                        [&](const RunRecord& r) { return r.key == record.key; });
    bitacc.runs.push_back(
        qa::report::compare_run(record, reference == references.end() ? nullptr : &*reference, {},
                                seed % 2 == 0 ? qa::report::Strict::no : qa::report::Strict::yes));
  }
  check_json(qa::report::bitacc_to_json(bitacc).dump(2));
  [[maybe_unused]] const auto bitacc_text = qa::report::bitacc_to_text(bitacc);
  [[maybe_unused]] const auto bitacc_markdown = qa::report::bitacc_to_markdown(bitacc);
  check_junit(qa::report::bitacc_to_junit(bitacc));
  [[maybe_unused]] const auto annotations = qa::report::bitacc_to_github_annotations(bitacc);

  // The report, as qa-report does.
  auto comparison = qa::report::compare(std::move(news), std::move(references), metric_defs(), {});
  comparison.reference = {{"requested", "main</script><script>"},
                          {"commit", std::string(40, 'a')},
                          {"reason", "fuzz"},
                          {"tried", nlohmann::json::array()}};
  [[maybe_unused]] const auto report_text = qa::report::report_to_text(comparison);
  const std::size_t max_chars = 1000 + seed % 4000;
  for (const std::size_t limit : {qa::report::k_markdown_limit, max_chars}) {
    const std::string markdown = qa::report::report_to_markdown(comparison, limit);
    if (markdown.size() > limit) {
      broken("the Markdown summary is over its limit", markdown);
    }
  }
  check_junit(qa::report::report_to_junit(comparison));
  [[maybe_unused]] const auto openmetrics = qa::report::report_to_openmetrics(comparison);
  std::string json;
  qa::report::write_report_json(comparison, "2026-11-25T03:00:00Z",
                                [&](std::string_view piece) { json += piece; });
  check_json(json);

  const auto [scripts, script_ends] = empty_page_scripts();
  const std::string html = html_of(comparison);
  if (count_ignoring_case(html, "<script") != scripts ||
      count_ignoring_case(html, "</script") != script_ends) {
    broken("the HTML page holds a <script or </script from the data", html);
  }
  return 0;
}
