// The image review of qa-report's HTML page on REAL outputs of the example project
// (examples/denoise, whose qaboard.yaml names its input and ground truth as visualizations): the
// project is copied into a git repository, the smoke batch runs at two commits with different
// strengths, qa-report --html writes the page, and tests/browser/image_review_test.mjs checks it
// in headless Chromium. A missing node, Chromium or node_modules is a failure.
#include <gtest/gtest.h>

#include "browser_node.hpp"

#include "support/example_project.hpp"
#include "support/tool_fixture.hpp"

#include <cstdlib>
#include <iostream>

namespace qa::test {
namespace {

namespace fs = std::filesystem;

const fs::path k_browser_dir = fs::path(QA_SOURCE_DIR) / "tests" / "browser";

class ImageReviewInChromium : public ToolTest {
 protected:
  ImageReviewInChromium() {
    copy_example_project(m_project);
    m_repo->commit_all("example");
  }
};

TEST_F(ImageReviewInChromium, PanesZoomTogetherBesideTheInputSideOfTheExample) {
  const auto node = test::browser_node(k_browser_dir);
  ASSERT_TRUE(node) << node.error().message;

  const auto first = run_tool("qa-batch", {"smoke"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::string config = read_text(m_project / "qaboard.yaml");
  const auto at = config.find("strength: 0.5,");
  ASSERT_NE(at, std::string::npos);
  config.replace(at, 14, "strength: 0.9,");
  write_config(config);
  m_repo->commit_all("stronger");
  const auto second = run_tool("qa-batch", {"smoke"});
  ASSERT_EQ(second.exit_code, 0) << second.err;

  const fs::path html = m_tmp / "public" / "report.html";
  const auto report = run_process(
      {tool_path("qa-report").string(), "--html", html.string(), "--fail-on", "never"}, m_project,
      clean_environment(m_home, {{"QA_STORE", m_store.string()}}), second.out);
  ASSERT_EQ(report.exit_code, 0) << report.err;
  ASSERT_TRUE(fs::exists(html));

  const auto result = run_process(
      {node->string(), (k_browser_dir / "image_review_test.mjs").string(), html.string()},
      k_browser_dir, clean_environment(m_tmp.path()));
  std::cout << result.out << result.err;
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

}  // namespace
}  // namespace qa::test
