// The output viewers of the HTML report on the outputs of a real program: a project in a git
// repository made here, whose run command (tests/browser/viewers_project/algo.sh, sh and awk)
// writes a text summary, a CSV table, a JSON result, an HTML page, a plotly figure and a point
// cloud, and copies a video (recorded beforehand by Chromium: make_video.mjs); committed with gain
// 2, then 3, run by the built qa-batch at both commits; the built qa-report writes the page, which
// tests/browser/viewers_test.mjs checks in headless Chromium.
#include <gtest/gtest.h>

#include "browser_node.hpp"

#include <support/process.hpp>
#include <support/tool_fixture.hpp>

#include <cstdlib>
#include <iostream>

namespace qa::test {
namespace {

namespace fs = std::filesystem;

const fs::path k_browser_dir = fs::path(QA_SOURCE_DIR) / "tests" / "browser";

class ViewersInChromium : public ToolTest {
 protected:
  void write_algorithm(const std::string& gain) const {
    std::string script = read_text(k_browser_dir / "viewers_project" / "algo.sh");
    script.replace(script.find("@GAIN@"), 6, gain);
    write_text(m_project / "algo.sh", script);
  }
};

TEST_F(ViewersInChromium, ShowEveryOutputAgainstTheReferenceAndRunNothingFromThem) {
  const auto node = test::browser_node(k_browser_dir);
  ASSERT_TRUE(node) << node.error().message;

  write_config(R"(project: {name: acme/viewers, reference_branch: main}
inputs: {database: data, globs: ['*.in'], batches: batches.yaml}
run:
  command: sh {project_root}/algo.sh {input_path} {output_dir}
)");
  write_text(m_project / "batches.yaml", "all:\n  inputs: [fruits.in]\n");
  write_text(m_project / "data" / "fruits.in",
             "name,value\npear,3\napple,5\nfig,7\n<img src=x onerror=window.pwned=1>,4\n"
             "</script><script>window.pwned=2</script>,2\n");
  write_text(m_project / ".gitignore", "output/\n");
  for (const auto& [gain, colour] : {std::pair{"2", "#ff0000"}, std::pair{"3", "#00c000"}}) {
    const auto made = run_process(
        {node->string(), (k_browser_dir / "make_video.mjs").string(),
         (m_project / "data" / (std::string("clip-") + gain + ".webm")).string(), colour},
        k_browser_dir, clean_environment(m_home));
    ASSERT_EQ(made.exit_code, 0) << made.out << made.err;
  }
  write_algorithm("2");
  m_repo->commit_all("gain 2");
  const auto first = run_tool("qa-batch", {"all"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  write_algorithm("3");
  m_repo->commit_all("gain 3");
  const auto second = run_tool("qa-batch", {"all"});
  ASSERT_EQ(second.exit_code, 0) << second.err;

  const fs::path html = m_tmp / "public" / "report.html";
  const auto report =
      run_process({tool_path("qa-report").string(), "--html", html.string()}, m_project,
                  clean_environment(m_home, {{"QA_STORE", m_store.string()}}), second.out);
  ASSERT_EQ(report.exit_code, 0) << report.out << report.err;
  ASSERT_TRUE(fs::exists(m_tmp / "public" / "report-assets" / "plotly-strict.min.js"))
      << "the report copies plotly.js beside itself when a run has a plotly figure";

  const auto result =
      run_process({node->string(), (k_browser_dir / "viewers_test.mjs").string(), html.string()},
                  k_browser_dir, clean_environment(m_home));
  std::cout << result.out << result.err;
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;

  // Without plotly.js (an empty QA_VIEWERS_DIR) the figure is a table, and nothing is copied.
  const fs::path bare = m_tmp / "bare" / "report.html";
  fs::create_directories(m_tmp / "no-viewers");
  const auto without =
      run_process({tool_path("qa-report").string(), "--html", bare.string()}, m_project,
                  clean_environment(m_home, {{"QA_STORE", m_store.string()},
                                             {"QA_VIEWERS_DIR", (m_tmp / "no-viewers").string()}}),
                  second.out);
  ASSERT_EQ(without.exit_code, 0) << without.out << without.err;
  EXPECT_FALSE(fs::exists(m_tmp / "bare" / "report-assets" / "plotly-strict.min.js"));
  const auto fallback = run_process({node->string(), (k_browser_dir / "viewers_test.mjs").string(),
                                     bare.string(), "--without-plotly"},
                                    k_browser_dir, clean_environment(m_home));
  std::cout << fallback.out << fallback.err;
  EXPECT_EQ(fallback.exit_code, 0) << fallback.out << fallback.err;
}

}  // namespace
}  // namespace qa::test
