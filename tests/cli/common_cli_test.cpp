// Every tool answers --help and --version; usage errors exit 2 with a one-line message.
#include <gtest/gtest.h>

#include <string>

#include "support/tool_fixture.hpp"

namespace qa::test {
namespace {

std::string tool_test_name(const ::testing::TestParamInfo<std::string>& tool) {
  std::string name = tool.param;
  std::erase(name, '-');
  return name;
}

class EveryTool : public ToolTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(EveryTool, HelpTeachesUsageOnStdout) {
  const auto result = run_tool(GetParam(), {"--help"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("Usage: " + GetParam()), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("--version"), std::string::npos);
  EXPECT_EQ(result.err, "");
}

TEST_P(EveryTool, VersionNamesToolAndVersion) {
  const auto result = run_tool(GetParam(), {"--version"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, GetParam() + " (qatools) 0.1.0\n");
}

TEST_P(EveryTool, UnknownOptionIsAUsageError) {
  const auto result = run_tool(GetParam(), {"--no-such-option"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(result.err.starts_with(GetParam() + ": error: ")) << result.err;
  EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << "one line expected: " << result.err;
}

INSTANTIATE_TEST_SUITE_P(Tools, EveryTool,
                         ::testing::Values("qa-run", "qa-batch", "qa-get", "qa-bitacc", "qa-report",
                                           "qa-store", "qa"),
                         tool_test_name);

}  // namespace
}  // namespace qa::test
