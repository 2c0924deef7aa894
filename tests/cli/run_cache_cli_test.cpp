// The run cache through the tools (qaboard.yaml run.deps): a docs-only commit runs nothing, a
// changed dependency or input runs exactly the runs that depend on it, a cached run is an ok run
// for qa-bitacc and qa-report, and a blob gone from the store makes its run run again.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "support/expect.hpp"
#include "support/tool_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class RunCache : public ToolTest {
 protected:
  RunCache() {
    // The program under test counts its executions in a file outside the project.
    write_config(R"(project: {name: acme/cache}
inputs: {database: data, globs: ["*.txt"]}
run:
  command: "sh bin/tool.sh {input_path} {output_dir} {params.model}"
  deps: [bin/tool.sh, "models/{params.model}.txt"]
)");
    write_text(m_project / "bin" / "tool.sh",
               "echo \"$1\" >> \"$COUNT_FILE\"\ncat \"$1\" \"models/$3.txt\" > \"$2/out.txt\"\n");
    write_text(m_project / "models" / "m1.txt", "model one\n");
    write_text(m_project / "models" / "m2.txt", "model two\n");
    for (int i = 0; i < 3; ++i) {
      write_text(m_project / "data" / "all" / ("in" + std::to_string(i) + ".txt"),
                 "input " + std::to_string(i) + "\n");
    }
    write_text(m_project / "README.md", "docs\n");
    write_text(m_project / ".gitignore", "output/\n");
    m_first = m_repo->commit_all("project");
  }

  // Run qa-batch on every input with model `model`; return its records, by input (they stream
  // in the order the runs finish).
  std::vector<json> batch(const std::string& model, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"all/", "--param", "model=" + model};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto result = run_tool("qa-batch", args, env());
    EXPECT_EQ(result.exit_code, 0) << result.err;
    m_last_err = result.err;
    std::vector<json> records;
    std::istringstream lines(result.out);
    for (std::string line; std::getline(lines, line);) {
      records.push_back(json::parse(line));
    }
    std::sort(records.begin(), records.end(),
              [](const json& a, const json& b) { return a["input"] < b["input"]; });
    return records;
  }

  [[nodiscard]] std::map<std::string, std::string> env() const {
    return {{"COUNT_FILE", (m_tmp / "count").string()}};
  }

  // The inputs the program ran on so far, one line per execution.
  [[nodiscard]] std::vector<std::string> executions() const {
    std::vector<std::string> lines;
    if (!fs::exists(m_tmp / "count")) {
      return lines;
    }
    std::istringstream text(read_text(m_tmp / "count"));
    for (std::string line; std::getline(text, line);) {
      lines.push_back(fs::path(line).filename().string());
    }
    return lines;
  }

  static std::vector<std::string> statuses(const std::vector<json>& records) {
    std::vector<std::string> out;
    for (const auto& record : records) {
      out.push_back(record["status"]);
    }
    return out;
  }

  std::string commit(const std::string& path, const std::string& content) {
    write_text(m_project / path, content);
    return m_repo->commit_all("change " + path);
  }

  std::string m_first;
  std::string m_last_err;
};

TEST_F(RunCache, ADocsOnlyCommitRunsNothingAndIsBitIdentical) {
  const auto first = batch("m1");
  EXPECT_EQ(statuses(first), (std::vector<std::string>(3, "ok")));
  EXPECT_EQ(executions().size(), 3U);
  for (const auto& record : first) {
    EXPECT_EQ(record["cache_key"].get<std::string>().size(), 32U);
  }

  commit("README.md", "better docs\n");
  const auto second = batch("m1");
  EXPECT_EQ(executions().size(), 3U) << "nothing executed";
  EXPECT_EQ(statuses(second), (std::vector<std::string>(3, "cached")));
  for (const auto& record : second) {
    EXPECT_EQ(record["cached_from"], m_first);
  }
  EXPECT_CONTAINS(m_last_err, "3 cached");

  const auto bitacc =
      run_tool("qa-bitacc", {"--reference", m_first, "all/", "--param", "model=m1"}, env());
  EXPECT_EQ(bitacc.exit_code, 0) << bitacc.out << bitacc.err;
  const auto report = run_tool("qa-report",
                               {"--reference", m_first, "all/", "--param", "model=m1", "--junit",
                                "-", "--fail-on", "failed"},
                               env());
  EXPECT_EQ(report.exit_code, 0) << report.err;
  EXPECT_CONTAINS(report.out, "failures=\"0\"");
  // The outputs are fetched as those of any run.
  const auto got = run_tool(
      "qa-get", {"--input", "all/in1.txt", "--param", "model=m1", "--to", (m_tmp / "got").string()},
      env());
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(read_text(m_tmp / "got" / "out.txt"), "input 1\nmodel one\n");

  // --no-cache runs them all.
  EXPECT_EQ(statuses(batch("m1", {"--no-cache"})), (std::vector<std::string>(3, "ok")));
  EXPECT_EQ(executions().size(), 6U);
}

TEST_F(RunCache, AChangedDependencyOrInputRunsExactlyTheRunsThatDependOnIt) {
  batch("m1");
  batch("m2");
  ASSERT_EQ(executions().size(), 6U);

  commit("models/m1.txt", "model one, retrained\n");
  EXPECT_EQ(statuses(batch("m1")), (std::vector<std::string>(3, "ok")));
  EXPECT_EQ(statuses(batch("m2")), (std::vector<std::string>(3, "cached")))
      << "model two's runs do not depend on model one";
  EXPECT_EQ(executions().size(), 9U);

  commit("data/all/in2.txt", "input 2, new version\n");
  const auto m2 = batch("m2");
  EXPECT_EQ(statuses(m2), (std::vector<std::string>{"cached", "cached", "ok"}));
  EXPECT_EQ(executions().size(), 10U);
  EXPECT_EQ(executions().back(), "in2.txt");

  commit("bin/tool.sh", read_text(m_project / "bin" / "tool.sh") + "# faster\n");
  EXPECT_EQ(statuses(batch("m2")), (std::vector<std::string>(3, "ok")));
  EXPECT_EQ(executions().size(), 13U);
}

TEST_F(RunCache, ARunWhoseOutputIsGoneFromTheStoreRunsAgain) {
  const auto first = batch("m1");
  const std::string hex = first[0]["files"]["out.txt"]["xxh128"];
  const fs::path blob = m_store / "cas" / hex.substr(0, 2) / hex.substr(2);
  ASSERT_TRUE(fs::exists(blob));
  fs::remove(blob);
  commit("README.md", "better docs\n");
  const auto second = batch("m1");
  EXPECT_EQ(statuses(second), (std::vector<std::string>{"ok", "cached", "cached"}));
  EXPECT_EQ(executions().size(), 4U);
  EXPECT_TRUE(fs::exists(blob)) << "stored again by the run";
}

TEST_F(RunCache, QaRunAnswersFromTheCacheToo) {
  batch("m1");
  commit("README.md", "better docs\n");
  const auto run = run_tool("qa-run", {"--input", "all/in0.txt", "--param", "model=m1"}, env());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(single_record(run)["status"], "cached");
  EXPECT_CONTAINS(run.err, "nothing ran");
  EXPECT_EQ(executions().size(), 3U);
}

}  // namespace
}  // namespace qa::test
