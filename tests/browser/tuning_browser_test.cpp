// A real tuning search in the HTML report: the example project (examples/denoise) copied into a
// git repository, its `smoke` batch run plainly at a first commit (the reference), then with
// `qa-batch --tuning-search` over strength, sigma and a parameter whose name and values are
// markup at a second commit, the records piped into `qa-report --html` against the first (the
// plain runs come as missing ones, the reference of every point); the page is checked in
// headless Chromium by tests/browser/tuning_test.mjs. Then a sweep of 2,500 points written by the
// library: the ranking is paged and the charts sampled. A missing node, Chromium or
// node_modules is a failure: scripts/bootstrap installs them.
#include <gtest/gtest.h>

#include "browser_node.hpp"

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "support/example_project.hpp"
#include "support/tool_fixture.hpp"

#include <qa/report/comparison.hpp>
#include <qa/report/html_report.hpp>

namespace qa::test {
namespace {

namespace fs = std::filesystem;

const fs::path k_browser_dir = fs::path(QA_SOURCE_DIR) / "tests" / "browser";

// Strength (linear axis) by sigma (0.1 to 10: a log axis) by a parameter the denoiser ignores,
// named and valued as markup (a category axis): 18 points; plus sigma 20, which the denoiser
// refuses: a point whose runs fail.
constexpr const char* k_search = R"({"parameter_search": [
  {"strength": [0.2, 0.5, 0.8], "sigma": [0.1, 1, 10],
   "<img src=x onerror=alert(1)>": ["<img src=x onerror=alert(1)>", "<script>window.pwned=1</script>"]},
  {"sigma": [20]}]})";

class TuningReport : public ToolTest {
 protected:
  TuningReport() {
    copy_example_project(m_project);
    m_repo->commit_all("example");
  }
};

TEST_F(TuningReport, RanksThePointsChartsEachParameterAndFiltersTheRuns) {
  const auto node = browser_node(k_browser_dir);
  ASSERT_TRUE(node) << node.error().message;

  const std::string reference = m_repo->head();
  const auto plain = run_tool("qa-batch", {"smoke", "-j", "2"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  write_text(m_project / "NOTES.md", "tuning the denoiser\n");
  m_repo->commit_all("tune");
  const auto search = run_tool("qa-batch", {"smoke", "--tuning-search", k_search, "-j", "2"});
  ASSERT_EQ(search.exit_code, 1) << "the sigma=20 runs fail: " << search.err;

  const fs::path html = m_tmp / "public" / "index.html";
  const auto report = run_process(
      {tool_path("qa-report").string(), "--reference", reference, "--html", html.string(),
       "--fail-on", "never"},
      m_project, clean_environment(m_home, {{"QA_STORE", m_store.string()}}), search.out);
  ASSERT_EQ(report.exit_code, 0) << report.err;

  const auto result =
      run_process({node->string(), (k_browser_dir / "tuning_test.mjs").string(), html.string()},
                  k_browser_dir, clean_environment(m_home));
  std::cout << result.out << result.err;
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

// 2,500 points of two parameters on two inputs, PSNR peaking at a = 0.4, b = 3, and one more.
report::Comparison many_points() {
  std::vector<core::RunRecord> records;
  for (int p = 0; p < 2500; ++p) {
    const double a = (p % 50) / 50.0;
    const double b = 0.1 * (1 + p / 50);
    for (const char* input : {"a.png", "b.png"}) {
      core::RunRecord r;
      r.project = "acme/denoise";
      r.commit = "1111111111111111111111111111111111111111";
      r.label = "grid";
      r.key = "grid/a=" + std::to_string(a) + ",b=" + std::to_string(b) + "/" + input;
      r.input = input;
      r.params = {{"a", a}, {"b", b}};
      r.status = core::RunStatus::ok;
      r.exit_code = 0;
      r.metrics = {{"psnr", 40 - 10 * (a - 0.4) * (a - 0.4) - std::abs(b - 3) +
                                (input[0] == 'a' ? 0.1 : 0)}};
      records.push_back(std::move(r));
    }
  }
  // A point above them all on a.png that failed on b.png: its mean is over one input of two.
  for (const char* input : {"a.png", "b.png"}) {
    core::RunRecord r = records.front();
    r.key = std::string("grid/a=0.41,b=3/") + input;
    r.input = input;
    r.params = {{"a", 0.41}, {"b", 3}};
    r.metrics = {{"psnr", 50}};
    if (input[0] == 'b') {
      r.status = core::RunStatus::failed;
      r.exit_code = 1;
      r.metrics = nlohmann::json::object();
    }
    records.push_back(std::move(r));
  }
  core::MetricDefs defs;
  core::MetricDef psnr;
  psnr.name = "psnr";
  psnr.smaller_is_better = false;
  psnr.declared = true;
  defs.add(psnr);
  defs.set_main({"psnr"});
  return report::compare(std::move(records), {}, defs, {});
}

TEST(TuningReportInChromium, ThousandsOfPointsArePagedAndSampled) {
  const TempDir dir;
  const auto node = browser_node(k_browser_dir);
  ASSERT_TRUE(node) << node.error().message;
  report::HtmlOptions options;
  options.html_path = dir / "many" / "index.html";
  options.generated_at = "2026-12-01T10:00:00Z";
  const auto written = report::write_html_report(many_points(), options);
  ASSERT_TRUE(written) << written.error().message;
  const auto result = run_process({node->string(), (k_browser_dir / "tuning_test.mjs").string(),
                                   options.html_path.string(), "--many"},
                                  k_browser_dir, clean_environment(dir.path()));
  std::cout << result.out << result.err;
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

}  // namespace
}  // namespace qa::test
