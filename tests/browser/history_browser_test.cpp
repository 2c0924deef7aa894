// Builds a history page through the library (commits and records made here: two configs, two
// metrics, a gap, crafted strings) and checks it in headless Chromium with
// tests/browser/history_test.mjs. A missing node, Chromium or node_modules is a failure:
// scripts/bootstrap installs them.
#include <gtest/gtest.h>

#include "browser_node.hpp"

#include <support/process.hpp>
#include <support/temp_dir.hpp>

#include <qa/report/history_html.hpp>

#include <cstdlib>
#include <iostream>

namespace qa::report {
namespace {

namespace fs = std::filesystem;

const fs::path k_browser_dir = fs::path(QA_SOURCE_DIR) / "tests" / "browser";
const std::string k_label_payload = "<img src=x onerror=alert(1)>";
const std::string k_subject_payload = "</script><script>window.pwned=1</script>";

core::RunRecord record(const std::string& key, double psnr, double ssim) {
  core::RunRecord r;
  r.project = "acme/denoise";
  r.commit = std::string(40, 'b');
  r.key = key;
  r.label = key.substr(0, key.find('/'));
  r.input = key.substr(key.rfind('/') + 1);
  r.status = core::RunStatus::ok;
  r.metrics = {{"psnr", psnr}, {"ssim", ssim}};
  return r;
}

// Five commits, newest first; the second is a gap; the crafted label's group has values only at
// the newest commit.
History test_history() {
  std::vector<HistoryInput> inputs;
  for (int i = 0; i < 5; ++i) {
    HistoryInput input;
    input.sha = std::string(39, static_cast<char>('a' + i)) + "0";
    input.subject = i == 0 ? k_subject_payload : "commit " + std::to_string(5 - i);
    input.date = "2026-11-2" + std::to_string(5 - i) + "T10:00:00Z";
    if (i != 1) {
      const double level = 30.0 - i;
      input.records = {record("default/base/a.png", level, 0.9),
                       record("default/base/b.png", level + 2, 0.8),
                       record("default/fast/a.png", level - 5, 0.7)};
      if (i == 0) {
        input.records.push_back(record(k_label_payload + "/base/a.png", 1, 0.1));
      }
    }
    inputs.push_back(std::move(input));
  }
  core::MetricDefs defs;
  core::MetricDef psnr;
  psnr.name = "psnr";
  psnr.label = "PSNR";
  psnr.short_label = "PSNR";
  psnr.smaller_is_better = false;
  psnr.precision = 2;
  psnr.suffix = " dB";
  psnr.declared = true;
  defs.add(psnr);
  defs.set_main({"psnr"});
  return make_history("acme/denoise", "main", {}, std::move(inputs), defs);
}

TEST(HistoryPageInChromium, ChartsPerGroupAndMetricPointsOpenTheirCommit) {
  const auto node = test::browser_node(k_browser_dir);
  ASSERT_TRUE(node) << node.error().message;

  const test::TempDir dir;
  const fs::path html = dir / "public" / "history.html";
  fs::create_directories(html.parent_path());
  const auto written = write_history_html(test_history(), html, "2026-11-28T00:00:00Z");
  ASSERT_TRUE(written) << written.error().message;
  const auto result = test::run_process(
      {node->string(), (k_browser_dir / "history_test.mjs").string(), html.string()}, k_browser_dir,
      test::clean_environment(dir.path()));
  std::cout << result.out << result.err;
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

}  // namespace
}  // namespace qa::report
