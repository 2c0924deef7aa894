// Reference resolution, qa-get and qa-bitacc on real git histories made by the tests.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "support/tool_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A project whose outputs depend on `data/level.txt`: changing it changes out.txt.
class Gate : public ToolTest {
 protected:
  Gate() {
    write_config(R"(project: {name: acme/gate, reference_branch: main}
inputs: {database: data, globs: ['*.in'], batches: batches.yaml}
run:
  command: cat {input_path} {project_root}/level.txt > {output_dir}/out.txt; echo log > {output_dir}/run.log; date +%N > {output_dir}/stamp.tmp
bit_accuracy:
  patterns: ['*']
  ignore: ['*.log', '*.tmp']
)");
    write_text(m_project / "batches.yaml", "all:\n  inputs: [a.in, b.in]\n");
    write_text(m_project / "data" / "a.in", "a\n");
    write_text(m_project / "data" / "b.in", "b\n");
    write_text(m_project / "level.txt", "1\n");
    write_text(m_project / ".gitignore", "output/\n");
  }

  std::string commit(const std::string& message) { return m_repo->commit_all(message); }
  ProcessResult batch(const std::map<std::string, std::string>& env = {}) {
    return run_tool("qa-batch", {"all"}, env);
  }
  ProcessResult bitacc(std::vector<std::string> args,
                       const std::map<std::string, std::string>& env = {}) {
    args.insert(args.begin(), "all");
    return run_tool("qa-bitacc", args, env);
  }
  json reference(const std::map<std::string, std::string>& env = {}) {
    const auto result = run_tool("qa-get", {"reference", "--json"}, env);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return json::parse(result.out, nullptr, false);
  }
};

TEST_F(Gate, AutoReferenceOnAFeatureBranchIsTheMergeBase) {
  const std::string m1 = commit("M1");
  ASSERT_EQ(batch().exit_code, 0);
  write_text(m_project / "notes", "2");
  const std::string m2 = commit("M2");
  ASSERT_EQ(batch().exit_code, 0);
  m_repo->git("checkout -q -b feature");
  write_text(m_project / "notes", "F1");
  commit("F1");
  write_text(m_project / "notes", "F2");
  commit("F2");
  m_repo->git("checkout -q main");
  write_text(m_project / "notes", "3");
  const std::string m3 = commit("M3");
  ASSERT_EQ(batch().exit_code, 0);
  m_repo->git("checkout -q feature");
  EXPECT_EQ(reference()["commit"], m2);
  EXPECT_NE(reference()["reason"].get<std::string>().find("merge-base"), std::string::npos);

  // On main itself: the first parent.
  m_repo->git("checkout -q main");
  EXPECT_EQ(reference()["commit"], m2);
  // An explicit reference is used as given.
  const auto explicit_ref =
      run_tool("qa-get", {"reference", "--reference", m1.substr(0, 10), "--json"});
  EXPECT_EQ(json::parse(explicit_ref.out)["commit"], m1);
  (void)m3;
}

TEST_F(Gate, BatchesFileAddsBatches) {
  write_text(m_project / "extra.yaml", "only-a:\n  inputs: [a.in]\n");
  commit("M1");
  ASSERT_EQ(batch().exit_code, 0);
  write_text(m_project / "notes", "2");
  commit("M2");
  ASSERT_EQ(batch().exit_code, 0);
  const auto result =
      run_tool("qa-bitacc", {"only-a", "--batches-file", "extra.yaml", "--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(json::parse(result.out)["runs"].size(), 1U) << result.out;
  EXPECT_EQ(run_tool("qa-bitacc", {"only-a"}).exit_code, 2);
}

TEST_F(Gate, AutoWalksBackPastCommitsWithoutResults) {
  const std::string m1 = commit("M1");
  ASSERT_EQ(batch().exit_code, 0);
  write_text(m_project / "notes", "2");
  const std::string m2 = commit("M2 (no results)");
  write_text(m_project / "notes", "3");
  commit("M3");
  const json choice = reference();
  EXPECT_EQ(choice["commit"], m1);
  EXPECT_EQ(choice["tried"], json({m2, m1}));
  EXPECT_NE(choice["reason"].get<std::string>().find("1 first parent(s) back"), std::string::npos);
}

TEST_F(Gate, ShallowCloneFallsBackToTheBranchIndex) {
  const std::string m1 = commit("M1");
  ASSERT_EQ(batch().exit_code, 0);  // updates the branch index of main
  m_repo->git("checkout -q -b feature");
  write_text(m_project / "notes", "F1");
  commit("F1");
  const fs::path clone = m_tmp / "shallow clone";
  sh("git clone -q --depth 1 --branch feature 'file://" + m_project.string() + "' '" +
         clone.string() + "'",
     m_tmp.path());
  const auto result = run_tool("qa-get", {"reference", "--json"}, {}, clone);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json choice = json::parse(result.out);
  EXPECT_EQ(choice["commit"], m1);
  EXPECT_NE(choice["reason"].get<std::string>().find("branch index"), std::string::npos)
      << choice["reason"];
}

// A GitLab merge-request pipeline with GIT_DEPTH: the diff base has no results and its parents
// are not in the clone; the reference branch's index in the store names the commit to use.
TEST_F(Gate, ShallowMergeRequestCloneFallsBackToTheBranchIndex) {
  const std::string m1 = commit("M1");
  ASSERT_EQ(batch().exit_code, 0);  // updates the branch index of main
  write_text(m_project / "notes", "M2, no results");
  const std::string m2 = commit("M2");
  m_repo->git("checkout -q -b feature");
  write_text(m_project / "notes", "F1");
  const std::string f1 = commit("F1");
  const fs::path clone = m_tmp / "shallow clone";
  sh("git clone -q --depth 1 --branch feature 'file://" + m_project.string() + "' '" +
         clone.string() + "'",
     m_tmp.path());
  const std::map<std::string, std::string> ci{{"CI_COMMIT_SHA", f1},
                                              {"CI_COMMIT_REF_NAME", "feature"},
                                              {"CI_MERGE_REQUEST_DIFF_BASE_SHA", m2}};
  const auto result = run_tool("qa-get", {"reference", "--json"}, ci, clone);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json choice = json::parse(result.out);
  EXPECT_EQ(choice["commit"], m1);
  EXPECT_EQ(choice["tried"].front(), m2);
  EXPECT_NE(choice["reason"].get<std::string>().find("branch index"), std::string::npos)
      << choice["reason"];
}

TEST_F(Gate, CiVariablesOnADetachedHead) {
  const std::string m1 = commit("M1");
  ASSERT_EQ(batch().exit_code, 0);
  write_text(m_project / "notes", "2");
  const std::string m2 = commit("M2");
  ASSERT_EQ(batch().exit_code, 0);
  write_text(m_project / "notes", "3");
  const std::string m3 = commit("M3");
  m_repo->git("checkout -q --detach " + m3);
  const std::map<std::string, std::string> ci{{"CI_COMMIT_SHA", m3},
                                              {"CI_COMMIT_REF_NAME", "mr-branch"},
                                              {"CI_MERGE_REQUEST_DIFF_BASE_SHA", m1}};
  const json choice = reference(ci);
  EXPECT_EQ(choice["commit"], m1) << "the diff base, not the merge-base " << m2;
  EXPECT_NE(choice["reason"].get<std::string>().find("CI_MERGE_REQUEST_DIFF_BASE_SHA"),
            std::string::npos);
  const auto record = single_record(run_tool("qa-run", {"--input", "a.in"}, ci));
  EXPECT_EQ(record["commit"], m3);
  EXPECT_EQ(record["branch"], "mr-branch");
}

TEST_F(Gate, IdenticalOutputsPass) {
  commit("M1");
  ASSERT_EQ(batch().exit_code, 0);
  m_repo->git("checkout -q -b feature");
  write_text(m_project / "notes", "unrelated");
  commit("F1");
  const auto result = run_tool("qa-batch", {"all"});
  ASSERT_EQ(result.exit_code, 0);
  const auto from_stdin =
      run_process({tool_path("qa-bitacc").string()}, m_project,
                  clean_environment(m_home, {{"QA_STORE", m_store.string()}}), result.out);
  EXPECT_EQ(from_stdin.exit_code, 0) << from_stdin.out << from_stdin.err;
  EXPECT_NE(from_stdin.out.find("2 runs: 2 identical"), std::string::npos) << from_stdin.out;
  EXPECT_EQ(bitacc({}).exit_code, 0);
}

TEST_F(Gate, OneChangedByteFailsAndNamesTheFileAndRun) {
  commit("M1");
  ASSERT_EQ(batch().exit_code, 0);
  m_repo->git("checkout -q -b feature");
  write_text(m_project / "data" / "b.in", "B\n");
  commit("F1");
  ASSERT_EQ(batch().exit_code, 0);
  const auto result = bitacc({});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("changed            default/default/b.in  out.txt"), std::string::npos)
      << result.out;
  EXPECT_EQ(result.out.find("a.in"), std::string::npos) << "a.in did not change: " << result.out;
  EXPECT_EQ(result.out.find("stamp.tmp"), std::string::npos) << "ignored files never fail";
  const json report = json::parse(bitacc({"--format", "json"}).out);
  EXPECT_EQ(report["schema"], "qa.bitacc/1");
  EXPECT_EQ(report["summary"]["different"], 1);
  EXPECT_EQ(report["summary"]["identical"], 1);
}

TEST_F(Gate, AnAddedFileFailsOnlyWhenStrict) {
  commit("M1");
  ASSERT_EQ(batch().exit_code, 0);
  write_config(read_text(m_project / "qaboard.yaml")
                   .replace(read_text(m_project / "qaboard.yaml").find("; echo log"), 0,
                            "; echo extra > {output_dir}/extra.txt"));
  m_repo->git("checkout -q -b feature");
  commit("F1: one more output");
  ASSERT_EQ(batch().exit_code, 0);
  const auto lenient = bitacc({});
  EXPECT_EQ(lenient.exit_code, 0) << lenient.out << lenient.err;
  EXPECT_NE(lenient.out.find("only-new"), std::string::npos) << lenient.out;
  EXPECT_EQ(bitacc({"--strict"}).exit_code, 1);
  // --ignore replaces bit_accuracy.ignore, so the volatile files are named again.
  EXPECT_EQ(bitacc({"--strict", "--ignore", "extra.txt", "--ignore", "*.tmp"}).exit_code, 0);
}

TEST_F(Gate, NoReferenceResultsExitThreeAndSayWhatToDo) {
  const std::string m1 = commit("M1");
  m_repo->git("checkout -q -b feature");
  write_text(m_project / "notes", "F1");
  commit("F1");
  ASSERT_EQ(batch().exit_code, 0);
  const auto result = bitacc({});
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find(m1.substr(0, 12)), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("produce them by running the batch"), std::string::npos) << result.err;
}

TEST_F(Gate, AnUnknownReferenceIsAUsageError) {
  commit("M1");
  ASSERT_EQ(batch().exit_code, 0);
  const auto result = bitacc({"--reference", "mian"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("unknown reference \"mian\""), std::string::npos) << result.err;
}

TEST_F(Gate, JunitHasOneTestcasePerRun) {
  commit("M1");
  ASSERT_EQ(batch().exit_code, 0);
  m_repo->git("checkout -q -b feature");
  write_text(m_project / "data" / "b.in", "B\n");
  commit("F1");
  ASSERT_EQ(batch().exit_code, 0);
  const auto result = bitacc({"--format", "junit"});
  write_text(m_tmp / "junit.xml", result.out);
  sh("xmllint --noout '" + (m_tmp / "junit.xml").string() + "'", m_tmp.path());
  const std::string xml = result.out;
  std::size_t testcases = 0;
  for (std::size_t pos = xml.find("<testcase"); pos != std::string::npos;
       pos = xml.find("<testcase", pos + 1)) {
    ++testcases;
  }
  EXPECT_EQ(testcases, 2U);
  EXPECT_NE(xml.find("<failure"), std::string::npos);
}

TEST_F(Gate, GetMaterializesTheReferenceByteForByte) {
  commit("M1");
  ASSERT_EQ(batch().exit_code, 0);
  const json reference_record =
      json::parse(run_tool("qa-get", {"runs", "all"})
                      .out.substr(0, run_tool("qa-get", {"runs", "all"}).out.find('\n')));
  m_repo->git("checkout -q -b feature");
  write_text(m_project / "level.txt", "2\n");
  commit("F1");
  ASSERT_EQ(batch().exit_code, 0);
  const fs::path to = m_tmp / "reference outputs";
  const auto got = run_tool("qa-get", {"--input", "a.in", "--reference", "--to", to.string()});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(got.out, to.string() + "\n");
  EXPECT_EQ(read_text(to / "out.txt"), "a\n1\n");
  const auto manifest = run_tool("qa-get", {"--input", "a.in", "--reference", "--manifest"});
  ASSERT_EQ(manifest.exit_code, 0) << manifest.err;
  write_text(m_tmp / "manifest", manifest.out);
  sh("xxhsum -c '" + (m_tmp / "manifest").string() + "' >/dev/null", to);
  EXPECT_EQ(reference_record["input"], "a.in");
}

TEST_F(Gate, GetVariables) {
  const std::string sha = commit("M1");
  EXPECT_EQ(run_tool("qa-get", {"commit"}).out, sha + "\n");
  EXPECT_EQ(run_tool("qa-get", {"branch"}).out, "main\n");
  EXPECT_EQ(run_tool("qa-get", {"project"}).out, "acme/gate\n");
  EXPECT_EQ(run_tool("qa-get", {"store"}).out, m_store.string() + "\n");
  EXPECT_EQ(run_tool("qa-get", {"output_dir", "--input", "a.in"}).out,
            (m_project / "output/default/default/a.in").string() + "\n");
  const auto typo = run_tool("qa-get", {"comit"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("did you mean \"commit\""), std::string::npos) << typo.err;
}

TEST_F(Gate, TwoFoldersAreComparedDirectly) {
  write_text(m_tmp / "a" / "x.bin", "same");
  write_text(m_tmp / "a" / "sub" / "y.bin", "one");
  write_text(m_tmp / "b" / "x.bin", "same");
  write_text(m_tmp / "b" / "sub" / "y.bin", "two");
  const auto different = run_tool("qa-bitacc", {(m_tmp / "a").string(), (m_tmp / "b").string()});
  EXPECT_EQ(different.exit_code, 1);
  EXPECT_NE(different.out.find("sub/y.bin"), std::string::npos) << different.out;
  write_text(m_tmp / "b" / "sub" / "y.bin", "one");
  EXPECT_EQ(run_tool("qa-bitacc", {(m_tmp / "a").string(), (m_tmp / "b").string()}).exit_code, 0);
}

TEST_F(Gate, AFileBesideAFolderIsAUsageErrorNotAMissingProject) {
  write_text(m_tmp / "a" / "x.bin", "same");
  write_text(m_tmp / "file.bin", "same");
  const auto mixed = run_tool("qa-bitacc", {(m_tmp / "file.bin").string(), (m_tmp / "a").string()},
                              {}, m_tmp.path());
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_NE(mixed.err.find("is not a folder"), std::string::npos) << mixed.err;
  EXPECT_EQ(mixed.err.find("qaboard.yaml"), std::string::npos) << mixed.err;
}

TEST_F(Gate, CommitChecksTheStoredRunsOfAnotherCommit) {
  const std::string m1 = commit("M1");
  ASSERT_EQ(batch().exit_code, 0);
  write_text(m_project / "level.txt", "2\n");
  commit("M2");
  ASSERT_EQ(batch().exit_code, 0);
  const auto head = bitacc({"--reference", m1});
  EXPECT_EQ(head.exit_code, 1) << head.out << head.err;
  const auto older = bitacc({"--commit", m1, "--reference", m1});
  EXPECT_EQ(older.exit_code, 0) << older.out << older.err;
  const auto unknown = bitacc({"--commit", "no-such-ref"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no-such-ref"), std::string::npos) << unknown.err;
}

// A store on a read-only mount (a private mount namespace binds it read-only over itself): the
// readers need no write access, even as root.
TEST_F(Gate, AReadOnlyStoreServesEveryReader) {
  const std::string m1 = commit("M1");
  ASSERT_EQ(batch().exit_code, 0);
  write_text(m_project / "level.txt", "2\n");
  commit("M2");
  ASSERT_EQ(batch().exit_code, 0);
  const auto read_only = [&](const std::string& tool, const std::vector<std::string>& args) {
    std::vector<std::string> argv{"/usr/bin/unshare",
                                  "-m",
                                  "/bin/sh",
                                  "-c",
                                  "/bin/mount --bind -o ro \"$0\" \"$0\" && exec \"$@\"",
                                  m_store.string(),
                                  tool_path(tool).string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, m_project,
                       clean_environment(m_home, {{"QA_STORE", m_store.string()}}));
  };
  const auto probe = read_only("qa-get", {"commit"});
  ASSERT_EQ(probe.exit_code, 0) << "cannot make a read-only mount here: " << probe.err;

  const auto gate = read_only("qa-bitacc", {"all", "--reference", m1});
  EXPECT_EQ(gate.exit_code, 1) << gate.out << gate.err;
  EXPECT_NE(gate.out.find("out.txt"), std::string::npos) << gate.out;
  const auto report =
      read_only("qa-report", {"--commit", "HEAD", "all", "--reference", m1, "--json", "-", "--html",
                              (m_tmp / "report/index.html").string()});
  EXPECT_EQ(report.exit_code, 0) << report.err;
  EXPECT_TRUE(fs::exists(m_tmp / "report/index.html"));
  const auto runs = read_only("qa-get", {"runs", "all"});
  EXPECT_EQ(runs.exit_code, 0) << runs.err;
  EXPECT_EQ(std::count(runs.out.begin(), runs.out.end(), '\n'), 2) << runs.out;
  const fs::path to = m_tmp / "fetched";
  const auto got = read_only("qa-get", {"--input", "a.in", "--commit", m1, "--to", to.string()});
  EXPECT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(read_text(to / "out.txt"), "a\n1\n");
}

TEST_F(Gate, AMissingStoreHasNoResultsAndIsNotCreatedByReaders) {
  commit("M1");
  const fs::path nowhere = m_tmp / "no store yet";
  const std::map<std::string, std::string> env{{"QA_STORE", nowhere.string()}};
  const auto reference = run_tool("qa-get", {"reference"}, env);
  EXPECT_EQ(reference.exit_code, 3) << reference.err;
  const auto gate = bitacc({}, env);
  EXPECT_EQ(gate.exit_code, 2);
  EXPECT_NE(gate.err.find("has no record"), std::string::npos) << gate.err;
  const auto report = run_tool("qa-report", {"--commit", "HEAD"}, env);
  EXPECT_EQ(report.exit_code, 2);
  EXPECT_NE(report.err.find("no runs to report"), std::string::npos) << report.err;
  EXPECT_FALSE(fs::exists(nowhere)) << "a reader created the store";
}

// Golden manifests: accepted on purpose, kept in the repository, the reference of --golden.
TEST_F(Gate, GoldenManifestsAreAcceptedCheckedAndAcceptedAgain) {
  commit("M1");
  ASSERT_EQ(batch().exit_code, 0);
  const fs::path golden = m_project / "qa" / "golden";
  const fs::path a_file = golden / "default/default/a.in.json";
  const fs::path b_file = golden / "default/default/b.in.json";

  const auto accepted = bitacc({"--golden", "qa/golden", "--accept"});
  ASSERT_EQ(accepted.exit_code, 0) << accepted.out << accepted.err;
  EXPECT_NE(accepted.out.find("new golden         default/default/a.in  (1 file)"),
            std::string::npos)
      << accepted.out;
  EXPECT_NE(accepted.out.find("new golden         default/default/b.in  (1 file)"),
            std::string::npos)
      << accepted.out;
  std::size_t goldens = 0;
  for (const auto& item : fs::recursive_directory_iterator(golden)) {
    goldens += item.is_regular_file();
  }
  EXPECT_EQ(goldens, 2U);
  const std::string a_golden = read_text(a_file);
  const json a_json = json::parse(a_golden);
  EXPECT_EQ(a_json["schema"], "qa.golden/1");
  EXPECT_EQ(a_json["key"], "default/default/a.in");
  EXPECT_EQ(a_json["input"], "a.in");
  // Only what bit accuracy compares: no log, no ignored file, no metrics.json.
  EXPECT_EQ(a_json["files"].size(), 1U) << a_golden;
  EXPECT_TRUE(a_json["files"].contains("out.txt")) << a_golden;
  EXPECT_EQ(a_golden, a_json.dump(2) + "\n") << "not the stable text";

  const auto same = bitacc({"--golden", "qa/golden"});
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  EXPECT_NE(same.out.find("golden manifests in \"qa/golden\""), std::string::npos) << same.out;
  const auto again = bitacc({"--golden", "qa/golden", "--accept"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("0 new, 0 changed, 2 unchanged"), std::string::npos) << again.out;
  EXPECT_EQ(read_text(a_file), a_golden);

  // The goldens are committed with the change; the program's output changes for b.in.
  write_text(m_project / "data" / "b.in", "B\n");
  commit("M2");
  ASSERT_EQ(batch().exit_code, 0);
  const auto changed = bitacc({"--golden", "qa/golden"});
  EXPECT_EQ(changed.exit_code, 1) << changed.out << changed.err;
  EXPECT_NE(changed.out.find("changed            default/default/b.in  out.txt"), std::string::npos)
      << changed.out;
  EXPECT_EQ(changed.out.find("a.in"), std::string::npos) << changed.out;
  const json report = json::parse(bitacc({"--golden", "qa/golden", "--format", "json"}).out);
  EXPECT_EQ(report["reference"], json({{"golden", "qa/golden"}}));
  EXPECT_EQ(report["summary"]["different"], 1);

  const auto reaccepted = bitacc({"--golden", "qa/golden", "--accept"});
  ASSERT_EQ(reaccepted.exit_code, 0) << reaccepted.out << reaccepted.err;
  EXPECT_NE(reaccepted.out.find("changed            default/default/b.in  out.txt"),
            std::string::npos)
      << reaccepted.out;
  EXPECT_NE(reaccepted.out.find("0 new, 1 changed, 1 unchanged"), std::string::npos)
      << reaccepted.out;
  EXPECT_EQ(read_text(a_file), a_golden) << "an unchanged golden was rewritten";
  EXPECT_EQ(m_repo->git("status --porcelain qa/golden"), " M qa/golden/default/default/b.in.json");

  // Reviewed and committed: the next batch passes against them.
  commit("M3: accept b.in");
  ASSERT_EQ(batch().exit_code, 0);
  const auto passes = bitacc({"--golden", "qa/golden"});
  EXPECT_EQ(passes.exit_code, 0) << passes.out << passes.err;
  EXPECT_NE(passes.out.find("2 runs: 2 identical"), std::string::npos) << passes.out;
}

TEST_F(Gate, NoGoldenManifestExitsThree) {
  commit("M1");
  ASSERT_EQ(batch().exit_code, 0);
  const auto result = bitacc({"--golden", "qa/golden"});
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.out.find("no golden manifest default/default/a.in"), std::string::npos)
      << result.out;
  EXPECT_EQ(result.out.find("reference"), std::string::npos) << result.out;
  EXPECT_NE(result.err.find("--accept"), std::string::npos) << result.err;

  // One run with a golden manifest: the other is reported, the check passes.
  ASSERT_EQ(run_tool("qa-bitacc", {"--golden", "qa/golden", "--accept", "a.in"}).exit_code, 0);
  const auto partial = bitacc({"--golden", "qa/golden"});
  EXPECT_EQ(partial.exit_code, 0) << partial.out << partial.err;
  EXPECT_NE(partial.out.find("no golden manifest default/default/b.in"), std::string::npos)
      << partial.out;
}

TEST_F(Gate, GoldenOptionsThatDoNotGoTogetherAreUsageErrors) {
  commit("M1");
  ASSERT_EQ(batch().exit_code, 0);
  const auto both = bitacc({"--golden", "qa/golden", "--reference", "HEAD"});
  EXPECT_EQ(both.exit_code, 2) << both.out << both.err;
  EXPECT_NE(both.err.find("--golden and --reference cannot be combined"), std::string::npos)
      << both.err;
  const auto accept = bitacc({"--accept"});
  EXPECT_EQ(accept.exit_code, 2) << accept.err;
  EXPECT_NE(accept.err.find("--accept needs --golden"), std::string::npos) << accept.err;
  EXPECT_FALSE(fs::exists(m_project / "qa/golden"));
}

TEST_F(Gate, AMalformedGoldenManifestExitsTwoNamingIt) {
  commit("M1");
  ASSERT_EQ(batch().exit_code, 0);
  ASSERT_EQ(bitacc({"--golden", "qa/golden", "--accept"}).exit_code, 0);
  const fs::path b_file = m_project / "qa/golden/default/default/b.in.json";
  write_text(b_file, "{\n<<<<<<< HEAD\n");
  const auto malformed = bitacc({"--golden", "qa/golden"});
  EXPECT_EQ(malformed.exit_code, 2) << malformed.out << malformed.err;
  EXPECT_EQ(malformed.err,
            "qa-bitacc: error: cannot read golden manifest "
            "\"qa/golden/default/default/b.in.json\": not valid JSON (line 2)\n");
  // Accept reads every golden manifest before it writes one.
  const auto accept = bitacc({"--golden", "qa/golden", "--accept"});
  EXPECT_EQ(accept.exit_code, 2) << accept.out << accept.err;
  EXPECT_EQ(read_text(b_file), "{\n<<<<<<< HEAD\n");

  // A golden manifest moved to another run's path.
  write_text(b_file, read_text(m_project / "qa/golden/default/default/a.in.json"));
  const auto moved = bitacc({"--golden", "qa/golden"});
  EXPECT_EQ(moved.exit_code, 2) << moved.out << moved.err;
  EXPECT_NE(moved.err.find("\"qa/golden/default/default/b.in.json\": its key "
                           "\"default/default/a.in\" is not \"default/default/b.in\""),
            std::string::npos)
      << moved.err;
}

TEST_F(Gate, AcceptLeavesOutRunsThatFailed) {
  write_config(read_text(m_project / "qaboard.yaml")
                   .replace(read_text(m_project / "qaboard.yaml").find("stamp.tmp") + 9, 0,
                            "; ! grep -q fail {input_path}"));
  write_text(m_project / "data" / "b.in", "fail\n");
  commit("M1");
  ASSERT_EQ(batch().exit_code, 1);
  const auto accept = bitacc({"--golden", "qa/golden", "--accept"});
  EXPECT_EQ(accept.exit_code, 1) << accept.out << accept.err;
  EXPECT_NE(accept.out.find("new golden         default/default/a.in"), std::string::npos)
      << accept.out;
  EXPECT_NE(accept.err.find("run \"default/default/b.in\" is not accepted"), std::string::npos)
      << accept.err;
  EXPECT_TRUE(fs::exists(m_project / "qa/golden/default/default/a.in.json"));
  EXPECT_FALSE(fs::exists(m_project / "qa/golden/default/default/b.in.json"));
  const auto check = bitacc({"--golden", "qa/golden"});
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  EXPECT_NE(check.out.find("failed             default/default/b.in"), std::string::npos)
      << check.out;
}

}  // namespace
}  // namespace qa::test
