// qa-run and qa-batch with commands that misbehave on purpose: links out of the output folder,
// outputs rewritten after the run, concurrent jobs in one checkout. Commands run as the test's
// user, often root in CI, so no file permission protects anything here: only what qatools does.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>

#include "support/expect.hpp"
#include "support/tool_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class HostileCommand : public ToolTest {
 protected:
  HostileCommand() {
    m_secret = m_tmp / "outside" / "id_rsa";
    write_text(m_secret, "-----BEGIN PRIVATE KEY-----\n");
    fs::permissions(m_secret, fs::perms::owner_read | fs::perms::owner_write);
    write_text(m_project / "data" / "a.txt", "input a\n");
    write_text(m_project / ".gitignore", "output/\n");
  }

  // Commit a project whose run command is `command` (with QA_SECRET naming the outside file).
  void use_command(const std::string& command) {
    write_config(
        "project: {name: acme/hostile}\ninputs: {database: data}\nrun:\n  command: >-\n    " +
        command + "\n  env: {QA_SECRET: '" + m_secret.string() + "'}\n");
    m_repo->commit_all("hostile");
  }

  // Return the stored blob files whose content is `content`.
  [[nodiscard]] std::size_t blobs_holding(const std::string& content) const {
    std::size_t count = 0;
    if (!fs::exists(m_store / "cas")) {
      return 0;
    }
    for (const auto& entry : fs::recursive_directory_iterator(m_store / "cas")) {
      if (entry.is_regular_file() && read_text(entry.path()) == content) {
        ++count;
      }
    }
    return count;
  }

  [[nodiscard]] fs::path blob_of(const json& entry) const {
    const auto hex = entry["xxh128"].get<std::string>();
    return m_store / "cas" / hex.substr(0, 2) / hex.substr(2);
  }

  fs::path m_secret;
};

TEST_F(HostileCommand, SymlinkToAnOutsideFileIsNotFollowedAndSaid) {
  use_command(
      "cp {input_path} {output_dir}/out.txt && ln -s \"$QA_SECRET\" {output_dir}/key && "
      "ln -s /etc {output_dir}/etc");
  const auto result = run_tool("qa-run", {"--input", "a.txt"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json record = single_record(result);
  EXPECT_EQ(record["files"].size(), 1U) << record["files"];
  EXPECT_TRUE(record["files"].contains("out.txt"));
  EXPECT_CONTAINS(result.err, "\"key\"");
  EXPECT_CONTAINS(result.err, "\"etc\"");
  EXPECT_CONTAINS(result.err, "not recorded");
  EXPECT_EQ(blobs_holding(read_text(m_secret)), 0U);
  EXPECT_EQ(fs::status(m_secret).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(HostileCommand, HardLinkToAnOutsideFileIsCopiedAndTheFileLeftAlone) {
  use_command("cp {input_path} {output_dir}/out.txt && ln \"$QA_SECRET\" {output_dir}/key");
  const auto result = run_tool("qa-run", {"--input", "a.txt"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json record = single_record(result);
  ASSERT_TRUE(record["files"].contains("key"));
  struct stat secret {};
  struct stat blob {};
  ASSERT_EQ(::stat(m_secret.c_str(), &secret), 0);
  ASSERT_EQ(::stat(blob_of(record["files"]["key"]).c_str(), &blob), 0);
  EXPECT_NE(secret.st_ino, blob.st_ino) << "the store never links a file of the command";
  EXPECT_EQ(secret.st_mode & 0777, 0600U) << "its mode is left alone";
  EXPECT_EQ(blob.st_mode & 0777, 0444U);
}

TEST_F(HostileCommand, OutputWrittenAfterTheRunLeavesTheStoredBlobAlone) {
  use_command("cp {input_path} {output_dir}/out.txt");
  const auto result = run_tool("qa-run", {"--input", "a.txt"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json record = single_record(result);
  const fs::path output = m_project / "output" / record["key"].get<std::string>() / "out.txt";
  {
    // Root ignores the 0444 mode a hard-linked blob had: appending must not reach the store.
    std::ofstream append(output, std::ios::app);
    ASSERT_TRUE(append) << output;
    append << "appended later\n";
  }
  EXPECT_EQ(read_text(blob_of(record["files"]["out.txt"])), "input a\n");
}

TEST_F(HostileCommand, OutputFolderReplacedByASymlinkIsRefused) {
  use_command("rm -rf {output_dir} && ln -s \"$(dirname \"$QA_SECRET\")\" {output_dir}");
  const auto result = run_tool("qa-run", {"--input", "a.txt"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_CONTAINS(result.err, "replaced its output folder");
  EXPECT_EQ(blobs_holding(read_text(m_secret)), 0U);
  EXPECT_FALSE(fs::exists(m_store / "acme"));
}

TEST_F(HostileCommand, LogReplacedByASymlinkIsNeitherWrittenNorRecorded) {
  use_command(
      "rm {output_dir}/qa-run.log && ln -s \"$QA_SECRET\" {output_dir}/qa-run.log && "
      "false");
  const std::string before = read_text(m_secret);
  const auto result = run_tool("qa-run", {"--input", "a.txt"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const json record = single_record(result);
  EXPECT_EQ(record["status"], "failed");
  EXPECT_TRUE(record["log"].is_null()) << record;
  EXPECT_CONTAINS(result.err, "the run's log is not recorded");
  EXPECT_EQ(read_text(m_secret), before) << "\"qa-run: exit code 1\" was not appended";
  EXPECT_EQ(blobs_holding(before), 0U);
}

TEST_F(HostileCommand, MetricsLinkedToAnOutsideFileAreNotRead) {
  use_command("ln -s \"$QA_SECRET\" {output_dir}/metrics.json");
  const auto result = run_tool("qa-run", {"--input", "a.txt"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_CONTAINS(result.err, "metrics.json");
  EXPECT_CONTAINS(result.err, "not a regular file");
  EXPECT_EQ(result.err.find("PRIVATE"), std::string::npos) << result.err;
}

TEST_F(HostileCommand, FifoAmongTheOutputsDoesNotBlockTheRecording) {
  use_command("cp {input_path} {output_dir}/out.txt && mkfifo {output_dir}/pipe");
  const auto result = run_tool("qa-run", {"--input", "a.txt"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(single_record(result)["files"].size(), 1U);
  EXPECT_CONTAINS(result.err, "\"pipe\"");
}

}  // namespace
}  // namespace qa::test
