// Packs through the tools: qa-batch writes its pack, the readers take runs from it, qa-run and
// shards add packs of their own, and a damaged pack costs nothing but a warning.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>

#include "support/expect.hpp"
#include "support/tool_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class Packs : public ToolTest {
 protected:
  Packs() {
    write_config(R"(project: {name: acme/packs}
inputs: {database: data, globs: ["*.txt"]}
run: {command: "cp {input_path} {output_dir}/out.txt"}
)");
    for (int i = 0; i < 4; ++i) {
      write_text(m_project / "data" / "all" / ("in" + std::to_string(i) + ".txt"),
                 "input " + std::to_string(i) + "\n");
    }
    write_text(m_project / ".gitignore", "output/\n");
    m_sha = m_repo->commit_all("inputs");
  }

  [[nodiscard]] fs::path packs_dir() const {
    return m_store / "acme/packs/packs" / m_sha.substr(0, 2) / m_sha.substr(2);
  }
  [[nodiscard]] fs::path records_dir() const {
    return m_store / "acme/packs/commits" / m_sha.substr(0, 2) / m_sha.substr(2);
  }
  [[nodiscard]] std::vector<std::string> pack_files() const {
    std::vector<std::string> names;
    if (fs::exists(packs_dir())) {
      for (const auto& entry : fs::directory_iterator(packs_dir())) {
        if (entry.path().extension() == ".pack") {
          names.push_back(entry.path().filename().string());
        }
      }
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  [[nodiscard]] std::vector<std::string> stored_inputs(const std::string& extra = "") const {
    auto args = std::vector<std::string>{"runs", "--commit", m_sha};
    if (!extra.empty()) {
      args.push_back(extra);
    }
    const auto result = run_tool("qa-get", args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    std::vector<std::string> inputs;
    std::istringstream lines(result.out);
    for (std::string line; std::getline(lines, line);) {
      inputs.push_back(json::parse(line)["input"]);
    }
    return inputs;
  }

  std::string m_sha;
};

TEST_F(Packs, ABatchWritesOnePackThatReadersUseWithoutTheSingleRecords) {
  const auto batch = run_tool("qa-batch", {"all/"});
  ASSERT_EQ(batch.exit_code, 0) << batch.err;
  ASSERT_EQ(pack_files().size(), 1U);
  EXPECT_TRUE(fs::exists(packs_dir() / "index.json"));
  // The single records stay; without them, every reader still finds the runs.
  ASSERT_TRUE(fs::exists(records_dir()));
  fs::remove_all(records_dir());
  EXPECT_EQ(stored_inputs(),
            (std::vector<std::string>{"all/in0.txt", "all/in1.txt", "all/in2.txt", "all/in3.txt"}));
  const auto planned = run_tool("qa-get", {"runs", "all/"});
  EXPECT_EQ(planned.exit_code, 0) << planned.err;
  EXPECT_EQ(std::count(planned.out.begin(), planned.out.end(), '\n'), 4);
  const auto fetched =
      run_tool("qa-get", {"--input", "all/in2.txt", "--to", (m_tmp / "got").string()});
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  EXPECT_EQ(read_text(m_tmp / "got" / "out.txt"), "input 2\n");
  const auto same = run_tool("qa-bitacc", {"--reference", m_sha, "all/"});
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
}

TEST_F(Packs, ARerunReplacesItsPackAndSkipReadsThePack) {
  ASSERT_EQ(run_tool("qa-batch", {"all/"}).exit_code, 0);
  const auto first = pack_files();
  const auto skip = run_tool("qa-batch", {"all/", "--on-existing", "skip"});
  ASSERT_EQ(skip.exit_code, 0) << skip.err;
  EXPECT_CONTAINS(skip.err, "4 skipped");
  EXPECT_EQ(pack_files(), first) << "the same batch replaces its own pack";
}

TEST_F(Packs, ShardsWriteAPackEachAndTheCommitReadsWhole) {
  for (const std::string shard : {"0/2", "1/2"}) {
    const auto result = run_tool("qa-batch", {"all/", "--shard", shard});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
  EXPECT_EQ(pack_files().size(), 2U);
  fs::remove_all(records_dir());
  EXPECT_EQ(stored_inputs().size(), 4U);
}

TEST_F(Packs, QaRunBeforeABatchIsPackedWithItAndAfterItInAPackOfItsOwn) {
  const auto before = run_tool("qa-run", {"--input", "all/in0.txt"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  EXPECT_TRUE(pack_files().empty()) << "no pack until a batch writes one";
  ASSERT_EQ(run_tool("qa-batch", {"all/in1.txt"}).exit_code, 0);
  ASSERT_EQ(pack_files().size(), 1U);
  const auto after = run_tool("qa-run", {"--input", "all/in2.txt"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(pack_files().size(), 2U);
  fs::remove_all(records_dir());
  EXPECT_EQ(stored_inputs(),
            (std::vector<std::string>{"all/in0.txt", "all/in1.txt", "all/in2.txt"}));
}

TEST_F(Packs, ADamagedPackIsAWarningAndTheSingleRecordsServe) {
  ASSERT_EQ(run_tool("qa-batch", {"all/"}).exit_code, 0);
  const auto names = pack_files();
  ASSERT_EQ(names.size(), 1U);
  const fs::path pack = packs_dir() / names[0];
  fs::permissions(pack, fs::perms::owner_write, fs::perm_options::add);
  write_text(pack, "{\"schema\": \"qa.pack/1\"");
  const auto result = run_tool("qa-get", {"runs", "--commit", m_sha});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 4);
  EXPECT_CONTAINS(result.err, "warning: invalid pack");
  EXPECT_CONTAINS(result.err, names[0]);
}

TEST_F(Packs, AStoreWithoutPacksReadsAsBefore) {
  ASSERT_EQ(run_tool("qa-batch", {"all/"}).exit_code, 0);
  fs::remove_all(m_store / "acme/packs/packs");
  EXPECT_EQ(stored_inputs().size(), 4U);
  const auto same = run_tool("qa-bitacc", {"--reference", m_sha, "all/"});
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
}

}  // namespace
}  // namespace qa::test
