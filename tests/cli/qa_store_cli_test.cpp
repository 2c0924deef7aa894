// qa-store verify, gc and stats on stores written by qa-batch in real git projects.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include "support/tool_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A project whose out.txt depends on the input and on `level.txt`, and whose common.txt is the
// same at every commit (one blob shared by every commit).
class QaStore : public ToolTest {
 protected:
  QaStore() {
    write_config(R"(project: {name: acme/keep, reference_branch: main}
inputs: {database: data, globs: ['*.in'], batches: batches.yaml}
run:
  command: sleep 0$SLOW_STEP; cat {input_path} {project_root}/level.txt > {output_dir}/out.txt; echo same > {output_dir}/common.txt
)");
    std::string inputs;
    for (int i = 0; i < 6; ++i) {
      write_text(m_project / "data" / (std::to_string(i) + ".in"), std::to_string(i) + "\n");
      inputs += (i == 0 ? "" : ", ") + std::to_string(i) + ".in";
    }
    write_text(m_project / "batches.yaml",
               "two:\n  inputs: [0.in, 1.in]\nall:\n  inputs: [" + inputs + "]\n");
    write_text(m_project / "level.txt", "1\n");
    write_text(m_project / ".gitignore", "output/\n");
  }

  // Commit with `level` in level.txt, run the batch `batch` and return the commit.
  std::string commit_and_run(const std::string& level, const std::string& batch = "two") {
    write_text(m_project / "level.txt", level + "\n");
    const std::string sha = m_repo->commit_all("level " + level);
    const auto result = run_tool("qa-batch", {batch});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return sha;
  }

  ProcessResult store(const std::vector<std::string>& args) const {
    return run_tool("qa-store", args);
  }

  [[nodiscard]] std::vector<fs::path> blobs() const {
    std::vector<fs::path> found;
    for (const auto& entry : fs::recursive_directory_iterator(m_store / "cas")) {
      if (entry.is_regular_file()) {
        found.push_back(entry.path());
      }
    }
    std::sort(found.begin(), found.end());
    return found;
  }
  [[nodiscard]] fs::path commit_folder(const std::string& sha) const {
    return m_store / "acme/keep/commits" / sha.substr(0, 2) / sha.substr(2);
  }
  // The blob of `content` as the tools name it.
  [[nodiscard]] fs::path blob_of(const std::string& content) const {
    const auto hex = sh("printf '%s' '" + content + "' | xxhsum -H2 | cut -d' ' -f1", m_project);
    return m_store / "cas" / hex.substr(0, 2) / hex.substr(2, 30);
  }
  // Make everything under `path` `age` old (e.g. "40 days ago").
  void make_old(const fs::path& path, const std::string& age) const {
    sh("find '" + path.string() + "' -exec touch -h -d '" + age + "' {} +", m_project);
  }
  [[nodiscard]] std::vector<json> runs(const std::string& commit) const {
    const auto result = run_tool("qa-get", {"runs", "--commit", commit});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    std::vector<json> records;
    std::istringstream lines(result.out);
    for (std::string line; std::getline(lines, line);) {
      records.push_back(json::parse(line));
    }
    return records;
  }
};

void expect_one_line_error(const ProcessResult& result, int code) {
  EXPECT_EQ(result.exit_code, code) << result.out << result.err;
  EXPECT_TRUE(result.err.starts_with("qa-store: error: ")) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
}

TEST_F(QaStore, VerifyFindsAFlippedByteAMissingBlobAndATruncatedRecord) {
  const std::string sha = commit_and_run("1");
  const auto good = store({"verify"});
  ASSERT_EQ(good.exit_code, 0) << good.err;
  EXPECT_NE(good.out.find("verified: 2 records of 1 commit,"), std::string::npos) << good.out;

  const fs::path flipped = blob_of("0\n1\n");
  ASSERT_TRUE(fs::exists(flipped));
  sh("chmod u+w '" + flipped.string() + "' && printf 'X' | dd of='" + flipped.string() +
         "' bs=1 count=1 conv=notrunc 2>/dev/null",
     m_project);
  fs::remove(blob_of("1\n1\n"));
  const auto bad = store({"verify", "--commit", "HEAD", "-j", "3"});
  expect_one_line_error(bad, 1);
  EXPECT_NE(bad.out.find("corrupt blob " + flipped.parent_path().filename().string() +
                         flipped.filename().string() + ": named by \"out.txt\" of run"),
            std::string::npos)
      << bad.out;
  EXPECT_NE(bad.out.find("missing blob "), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("at commit " + sha + " of \"acme/keep\""), std::string::npos);

  // A truncated record: reported by its path, the other one still checked.
  fs::path record;
  for (const auto& entry : fs::recursive_directory_iterator(commit_folder(sha))) {
    if (entry.path().filename() == "run.json") {
      record = entry.path();
    }
  }
  sh("chmod u+w '" + record.string() + "' && truncate -s 30 '" + record.string() + "'", m_project);
  const auto damaged = store({"verify"});
  expect_one_line_error(damaged, 1);
  EXPECT_NE(damaged.out.find("damaged record \"acme/keep/commits/"), std::string::npos)
      << damaged.out;
  EXPECT_NE(damaged.err.find("1 records unreadable"), std::string::npos) << damaged.err;
}

// main: c1 (its branch index); detached: c2 (no index, old), c3 (records and pack removed by
// hand, so its own blobs are unnamed but young).
class QaStoreGc : public QaStore {
 protected:
  QaStoreGc() {
    m_c1 = commit_and_run("1");
    m_repo->git("checkout -q --detach");
    m_c2 = commit_and_run("2");
    make_old(m_store, "40 days ago");
    m_c3 = commit_and_run("3");
    fs::remove_all(commit_folder(m_c3));
    fs::remove_all(m_store / "acme/keep/packs" / m_c3.substr(0, 2) / m_c3.substr(2));
  }
  std::string m_c1, m_c2, m_c3;
};

TEST_F(QaStoreGc, KeepsBranchHeadsSharedAndYoungBlobsRemovesTheRest) {
  const auto result = store({"gc"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("removed commit " + m_c2), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("removed 1 commits"), std::string::npos) << result.out;
  EXPECT_TRUE(fs::exists(commit_folder(m_c1)));
  EXPECT_FALSE(fs::exists(commit_folder(m_c2)));
  EXPECT_TRUE(fs::exists(blob_of("same\n")));   // shared with the kept c1
  EXPECT_TRUE(fs::exists(blob_of("0\n1\n")));   // c1's
  EXPECT_FALSE(fs::exists(blob_of("0\n2\n")));  // c2's only
  EXPECT_TRUE(fs::exists(blob_of("0\n3\n")));   // unnamed but younger than --grace
  EXPECT_EQ(store({"verify"}).exit_code, 0);
  EXPECT_EQ(runs(m_c1).size(), 2U);

  // With no grace, the unnamed young blobs go too.
  const auto no_grace = store({"gc", "--grace", "0s"});
  ASSERT_EQ(no_grace.exit_code, 0) << no_grace.err;
  EXPECT_FALSE(fs::exists(blob_of("0\n3\n")));
  EXPECT_TRUE(fs::exists(blob_of("same\n")));
}

TEST_F(QaStoreGc, KeepNamesACommitByItsShortSha) {
  const auto result = store({"gc", "--keep", m_c2.substr(0, 10)});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(fs::exists(commit_folder(m_c2)));
  EXPECT_TRUE(fs::exists(blob_of("0\n2\n")));
}

// A milestone names the old commit c2: gc keeps it, and every tool compares with it by name.
TEST_F(QaStoreGc, AMilestoneSurvivesGcAndServesAsReference) {
  const auto tagged = store({"tag", "release-1", m_c2.substr(0, 10)});
  ASSERT_EQ(tagged.exit_code, 0) << tagged.err;
  EXPECT_NE(tagged.out.find("milestone release-1 is commit " + m_c2), std::string::npos)
      << tagged.out;
  const auto listed = store({"tag"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.out.rfind("release-1\t" + m_c2 + "\t", 0), 0U) << listed.out;

  const auto gc = store({"gc", "--grace", "0s"});
  ASSERT_EQ(gc.exit_code, 0) << gc.err;
  EXPECT_TRUE(fs::exists(commit_folder(m_c2)));
  EXPECT_TRUE(fs::exists(blob_of("0\n2\n")));

  // A new commit at c2's level has c2's outputs: identical to the milestone's; once the
  // milestone moves to c1, different.
  m_repo->git("checkout -q main");
  commit_and_run("2");
  const auto same = run_tool("qa-bitacc", {"--reference", "release-1", "two"});
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  EXPECT_NE(same.err.find("milestone \"release-1\""), std::string::npos) << same.err;
  const auto report = run_tool("qa-report", {"--reference", "release-1", "two", "--json", "-"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_EQ(json::parse(report.out)["reference"]["commit"], m_c2);
  const auto moved = store({"tag", "release-1", m_c1});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_NE(moved.out.find("moved from " + m_c2 + " to " + m_c1), std::string::npos) << moved.out;
  EXPECT_EQ(run_tool("qa-bitacc", {"--reference", "release-1", "two"}).exit_code, 1);

  const auto bad = store({"tag", "no/slash"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("invalid milestone name \"no/slash\""), std::string::npos) << bad.err;
}

// A batch may name its own reference: qa-bitacc and qa-report compare its runs with it, and
// the other batches' runs with auto (or everything with --reference when given).
TEST_F(QaStoreGc, ABatchReferenceIsHonouredByBitaccAndReport) {
  ASSERT_EQ(store({"tag", "release-1", m_c2}).exit_code, 0);
  write_text(m_project / "batches.yaml",
             "pinned:\n  inputs: [0.in]\n  reference: release-1\nmoving:\n  inputs: [1.in]\n");
  m_repo->git("checkout -q main");
  commit_and_run("2", "pinned");
  ASSERT_EQ(run_tool("qa-batch", {"moving"}).exit_code, 0);
  // At level 2, pinned's run is c2's (identical); moving's auto reference is c1 (different).
  const auto pinned = run_tool("qa-bitacc", {"pinned"});
  EXPECT_EQ(pinned.exit_code, 0) << pinned.out << pinned.err;
  EXPECT_NE(pinned.err.find("milestone \"release-1\""), std::string::npos) << pinned.err;
  EXPECT_EQ(run_tool("qa-bitacc", {"moving"}).exit_code, 1);
  EXPECT_EQ(run_tool("qa-bitacc", {"pinned", "--reference", m_c1}).exit_code, 1)
      << "--reference overrides the batch's";

  const auto both = run_tool("qa-bitacc", {"pinned", "moving", "--format", "json"});
  EXPECT_EQ(both.exit_code, 1) << both.err;
  const auto bitacc = json::parse(both.out);
  ASSERT_EQ(bitacc["reference"]["per_batch"].size(), 2U) << both.out;
  EXPECT_EQ(bitacc["reference"]["per_batch"][0]["commit"], m_c2);
  EXPECT_EQ(bitacc["reference"]["per_batch"][1]["commit"], m_c1);

  const auto report = run_tool("qa-report", {"pinned", "moving", "--json", "-"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const auto document = json::parse(report.out);
  ASSERT_EQ(document["reference"]["per_batch"].size(), 2U) << report.out;
  EXPECT_EQ(document["reference"]["per_batch"][0]["runs"], 1);
  std::map<std::string, std::string> verdicts;
  for (const auto& run : document["runs"]) {
    verdicts[run["input"]] = run["bitacc"];
  }
  EXPECT_EQ(verdicts["0.in"], "identical");
  EXPECT_EQ(verdicts["1.in"], "different");
}

TEST_F(QaStoreGc, DryRunListsWhatWouldGoAndRemovesNothing) {
  const auto before = blobs();
  const auto result = store({"gc", "--dry-run", "--grace", "0s"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("would remove commit " + m_c2), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("would remove blob "), std::string::npos) << result.out;
  EXPECT_TRUE(fs::exists(commit_folder(m_c2)));
  EXPECT_EQ(blobs(), before);
}

TEST_F(QaStore, GcWhileABatchWritesLosesNothing) {
  commit_and_run("1");
  make_old(m_store, "40 days ago");
  write_text(m_project / "level.txt", "2\n");
  const std::string sha = m_repo->commit_all("level 2");
  auto env = clean_environment(m_home, {{"QA_STORE", m_store.string()}, {"SLOW_STEP", ".3"}});
  const int pid = spawn_process({tool_path("qa-batch").string(), "all", "-j", "2"}, m_project, env,
                                m_tmp / "batch.out", m_tmp / "batch.err");
  std::optional<int> code;
  int collections = 0;
  while (!(code = wait_process(pid, 50))) {
    const auto gc = store({"gc", "--keep-days", "0", "--grace", "1h"});
    ASSERT_EQ(gc.exit_code, 0) << gc.err;
    ++collections;
  }
  ASSERT_EQ(*code, 0) << read_text(m_tmp / "batch.err");
  EXPECT_GT(collections, 0);
  const auto verify = store({"verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  const auto records = runs(sha);
  ASSERT_EQ(records.size(), 6U);
  for (const auto& record : records) {
    const auto got =
        run_tool("qa-get", {"--key", record["key"].get<std::string>(), "--input",
                            record["input"].get<std::string>(), "--commit", sha, "--to",
                            (m_tmp / "got" / record["input"].get<std::string>()).string()});
    EXPECT_EQ(got.exit_code, 0) << got.err;
  }
}

TEST_F(QaStore, StatsAddsUpTheStore) {
  const std::string c1 = commit_and_run("1");
  const std::string c2 = commit_and_run("2");
  const auto result = store({"stats", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto stats = json::parse(result.out);
  EXPECT_EQ(stats["projects"], 1);
  EXPECT_EQ(stats["commits"], 2);
  EXPECT_EQ(stats["records"], 4);
  EXPECT_EQ(stats["damaged_records"], 0);
  std::uint64_t stored = 0;
  for (const auto& blob : blobs()) {
    stored += fs::file_size(blob);
  }
  EXPECT_EQ(stats["blobs"], blobs().size());
  EXPECT_EQ(stats["stored_bytes"], stored);
  std::uint64_t named = 0;
  for (const auto& sha : {c1, c2}) {
    for (const auto& record : runs(sha)) {
      for (const auto& [file, entry] : record["files"].items()) {
        named += entry["size"].get<std::uint64_t>();
      }
      if (record["log"].is_object()) {
        named += record["log"]["size"].get<std::uint64_t>();
      }
    }
  }
  EXPECT_EQ(stats["named_bytes"], named);
  EXPECT_GT(stats["dedup_ratio"].get<double>(), 1.0);  // common.txt is stored once

  // The text form, outside any project, with --store.
  const auto text = run_tool("qa-store", {"stats", "--store", m_store.string()}, {}, m_tmp.path());
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("records      4\n"), std::string::npos) << text.out;
}

TEST_F(QaStore, BadInputsAreUsageErrorsOnOneLine) {
  expect_one_line_error(store({}), 2);
  expect_one_line_error(store({"frobnicate"}), 2);
  const auto duration = store({"gc", "--grace", "5x"});
  expect_one_line_error(duration, 2);
  EXPECT_NE(duration.err.find("invalid duration \"5x\""), std::string::npos) << duration.err;
  write_text(m_tmp / "a-file", "not a store\n");
  expect_one_line_error(store({"stats", "--store", (m_tmp / "a-file").string()}), 2);
  expect_one_line_error(store({"verify", "--commit", "no-such-ref"}), 2);
  const auto help = store({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("qa-store gc --keep-days 7"), std::string::npos) << help.out;
}

TEST_F(QaStore, PackGathersAnOldLayoutCommitIntoOnePackThatReadersUse) {
  const std::string sha = commit_and_run("1", "all");
  const fs::path packs = m_store / "acme/keep/packs" / sha.substr(0, 2) / sha.substr(2);
  fs::remove_all(m_store / "acme/keep/packs");  // as a store written before packs
  const auto packed = store({"pack", "--commit", sha.substr(0, 10)});
  ASSERT_EQ(packed.exit_code, 0) << packed.err;
  EXPECT_NE(packed.out.find("packed commit " + sha + " of \"acme/keep\": 6 runs"),
            std::string::npos)
      << packed.out;
  std::size_t pack_files = 0;
  for (const auto& entry : fs::directory_iterator(packs)) {
    pack_files += entry.path().extension() == ".pack" ? 1U : 0U;
  }
  EXPECT_EQ(pack_files, 1U);
  fs::remove_all(commit_folder(sha));
  EXPECT_EQ(runs(sha).size(), 6U) << "every run read from the pack";
  const auto again = store({"pack"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find(": 6 runs"), std::string::npos) << again.out;
  expect_one_line_error(store({"pack", "--commit", "no-such-ref"}), 2);
}

}  // namespace
}  // namespace qa::test
