// The example project of examples/denoise, run through qa-run as a user would.
#include <gtest/gtest.h>

#include <string>

#include "support/example_project.hpp"
#include "support/tool_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;

class ExampleProject : public ToolTest {
 protected:
  ExampleProject() {
    copy_example_project(m_project);
    m_repo->commit_all("example");
  }
};

TEST_F(ExampleProject, EveryInputRunsAndImprovesPsnr) {
  int inputs = 0;
  for (const auto& entry : fs::recursive_directory_iterator(m_project / "data" / "images")) {
    if (!entry.is_regular_file()) {
      continue;
    }
    ++inputs;
    const std::string rel = entry.path().lexically_relative(m_project / "data" / "images").string();
    const auto result = run_tool("qa-run", {"--input", rel});
    ASSERT_EQ(result.exit_code, 0) << rel << ": " << result.err;
    const auto record = single_record(result);
    EXPECT_EQ(record["status"], "ok");
    EXPECT_TRUE(record["files"].contains("denoised.png")) << rel;
    EXPECT_GT(record["metrics"]["psnr"].get<double>(), 30.0) << rel;
  }
  EXPECT_EQ(inputs, 6);
}

TEST_F(ExampleProject, OutputsAreBitIdenticalAcrossRunsAndChangeWithTheParameter) {
  const auto a = single_record(run_tool("qa-run", {"--input", "street night.png"}));
  const auto b = single_record(run_tool("qa-run", {"--input", "street night.png"}));
  EXPECT_EQ(a["files"]["denoised.png"], b["files"]["denoised.png"]);
  const auto c = single_record(
      run_tool("qa-run", {"--input", "street night.png", "--param", "strength=0.9"}));
  EXPECT_NE(a["files"]["denoised.png"], c["files"]["denoised.png"]);
  EXPECT_NE(a["key"], c["key"]);
}

}  // namespace
}  // namespace qa::test
