// QA-Board entrypoints (project.entrypoint, SPEC section 9): qa-run and qa-batch run a real
// Python file through qatools' python/ module, on real git repositories.
#include <gtest/gtest.h>

#include <string>

#include "support/expect.hpp"
#include "support/tool_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// QA-Board's sample entrypoint, unchanged (tests/qaboard/, Apache-2.0). It imports click and
// qaboard.config.
const fs::path k_qaboard_sample_main =
    fs::path(QA_SOURCE_DIR) / "tests" / "qaboard" / "sample_project" / "qa" / "main.py";

// An entrypoint whose behaviour the parameter `mode` picks; it writes what it saw to seen.json.
constexpr const char* k_probe_main = R"py(import json
import math
from pathlib import Path

from qaboard.config import (is_ci, commit_id, commit_branch, commit_committer_name, project,
                            subproject, config, root_qatools)
import helper  # beside the entrypoint: its folder is on sys.path


def metadata(input_path, database, rel_input_path):
    return {"size": input_path.stat().st_size, "rel": str(rel_input_path)}


def run(context):
    mode = context.params.get("mode", "metrics")
    seen = {
        "input_path": str(context.input_path),
        "rel_input_path": str(context.rel_input_path),
        "database": str(context.database),
        "output_dir": str(context.output_dir),
        "paths": all(isinstance(getattr(context, k), Path)
                     for k in ("input_path", "rel_input_path", "database", "output_dir")),
        "params": context.params,
        "configs": context.configs,
        "configurations": context.configurations,
        "forwarded_args": context.forwarded_args,
        "platform": context.platform,
        "type": context.type,
        "dryrun": context.dryrun,
        "obj_kept": context.obj is context.obj and context.obj["output_directory"] == context.output_dir,
        "input_metadata": context.input_metadata,
        "is_ci": is_ci,
        "commit_id": commit_id,
        "commit_branch": commit_branch,
        "committer": commit_committer_name,
        "project": str(project),
        "subproject": str(subproject),
        "config_entrypoint": config["project"]["entrypoint"],
        "root": str(root_qatools),
        "helper": helper.VALUE,
    }
    (context.output_dir / "seen.json").write_text(json.dumps(seen))
    print("run says hello")
    if mode == "fail":
        return {"is_failed": True, "why": "bad input"}
    if mode == "raise":
        raise ValueError("boom from run")
    if mode == "none":
        return None
    if mode == "not-a-dict":
        return 42
    if mode == "own-metrics":
        (context.output_dir / "metrics.json").write_text('{"own": 7, "score": 1}')
    return {"score": 0.5, "where": context.output_dir, "nan": math.nan, "is_failed": False}


def postprocess(runtime_metrics, context):
    if context.params.get("mode") == "post-raise":
        raise RuntimeError("boom from postprocess")
    return {**runtime_metrics, "post": runtime_metrics.get("score", 0) * 2}
)py";

class Entrypoint : public ToolTest {
 protected:
  Entrypoint() {
    write_config(R"(project:
  name: acme/py
  entrypoint: qa/main.py
inputs:
  database: data
  batches: qa/batches.yaml
)");
    write_text(m_project / "qa" / "main.py", k_probe_main);
    write_text(m_project / "qa" / "helper.py", "VALUE = 'from qa/helper.py'\n");
    write_text(m_project / "qa" / "batches.yaml", "both:\n  inputs: [a.txt, sub/b.txt]\n");
    write_text(m_project / "data" / "a.txt", "aaa\n");
    write_text(m_project / "data" / "sub" / "b.txt", "bb\n");
    write_text(m_project / ".gitignore", "output/\n__pycache__/\n");
    m_sha = m_repo->commit_all("entrypoint project");
  }

  static json seen(const json& record) {
    return json::parse(read_text(fs::path(record["output_dir"].get<std::string>()) / "seen.json"));
  }

  static std::string log_of(const json& record) {
    return read_text(record["log"]["path"].get<std::string>());
  }

  std::string m_sha;
};

TEST_F(Entrypoint, QaBoardSampleMainRunsUnchanged) {
  write_text(m_project / "qa" / "main.py", read_text(k_qaboard_sample_main));
  m_repo->commit_all("the sample entrypoint");
  const auto bare = run_tool("qa-run", {"--input", "a.txt"});
  ASSERT_EQ(bare.exit_code, 0) << bare.err;
  const json quiet = single_record(bare);
  EXPECT_EQ(quiet["status"], "ok");
  EXPECT_EQ(quiet["metrics"]["is_failed"], false);
  EXPECT_CONTAINS(log_of(quiet), "Try to run something!");

  const auto result =
      run_tool("qa-run", {"--input", "a.txt", "--", "echo \"{input_path} => {output_dir}\""});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json record = single_record(result);
  EXPECT_EQ(record["status"], "ok");
  const std::string log = log_of(record);
  EXPECT_CONTAINS(log, "Below we run the CLI flags you gave qa:");
  EXPECT_CONTAINS(log, (m_project / "data" / "a.txt").string() + " => " +
                           record["output_dir"].get<std::string>());
  EXPECT_CONTAINS(log, ".platform:  linux");

  const auto failing = run_tool("qa-run", {"--input", "a.txt", "--", "exit 3"});
  EXPECT_EQ(failing.exit_code, 1) << failing.err;
  const json failed = single_record(failing);
  EXPECT_EQ(failed["status"], "failed");
  EXPECT_EQ(failed["metrics"]["returncode"], 3);
  EXPECT_EQ(failed["metrics"]["is_failed"], true);
}

TEST_F(Entrypoint, ReturnedMetricsAreRecordedAfterPostprocess) {
  const auto result = run_tool("qa-run", {"--input", "a.txt"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json record = single_record(result);
  EXPECT_EQ(record["status"], "ok");
  EXPECT_EQ(record["metrics"]["score"], 0.5);
  EXPECT_EQ(record["metrics"]["post"], 1.0) << "postprocess(runtime_metrics, context) applies";
  EXPECT_EQ(record["metrics"]["where"], record["output_dir"]) << "a Path is written as text";
  EXPECT_TRUE(record["metrics"]["nan"].is_null()) << "NaN has no JSON spelling";
  EXPECT_EQ(record["metrics"]["is_failed"], false);
  EXPECT_TRUE(record["files"].contains("metrics.json"));
  EXPECT_TRUE(record["files"].contains("seen.json"));
  EXPECT_CONTAINS(log_of(record), "run says hello");
}

TEST_F(Entrypoint, MetricsTheRunWroteItselfAreKeptUnderTheReturnedOnes) {
  const json record =
      single_record(run_tool("qa-run", {"--input", "a.txt", "--param", "mode=own-metrics"}));
  EXPECT_EQ(record["metrics"]["own"], 7);
  EXPECT_EQ(record["metrics"]["score"], 0.5);
}

TEST_F(Entrypoint, IsFailedTrueFailsTheRun) {
  const auto result = run_tool("qa-run", {"--input", "a.txt", "--param", "mode=fail"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const json record = single_record(result);
  EXPECT_EQ(record["status"], "failed");
  EXPECT_EQ(record["metrics"]["is_failed"], true);
  EXPECT_EQ(record["metrics"]["why"], "bad input");
  EXPECT_FALSE(record["metrics"].contains("post")) << "no postprocess after a failed run";
}

TEST_F(Entrypoint, AnExceptionFailsTheRunWithItsTracebackInTheLog) {
  const auto result = run_tool("qa-run", {"--input", "a.txt", "--param", "mode=raise"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const json record = single_record(result);
  EXPECT_EQ(record["status"], "failed");
  EXPECT_EQ(record["metrics"]["is_failed"], true);
  const std::string log = log_of(record);
  EXPECT_CONTAINS(log, "Your `run` function raised an exception: boom from run");
  EXPECT_CONTAINS(log, "Traceback (most recent call last)");
  EXPECT_CONTAINS(log, "ValueError: boom from run");
  EXPECT_CONTAINS(log, "main.py\", line");
}

TEST_F(Entrypoint, AnExceptionInPostprocessFailsTheRun) {
  const auto result = run_tool("qa-run", {"--input", "a.txt", "--param", "mode=post-raise"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const json record = single_record(result);
  EXPECT_EQ(record["metrics"]["is_failed"], true);
  EXPECT_EQ(record["metrics"]["score"], 0.5) << "the run's metrics are kept";
  EXPECT_CONTAINS(log_of(record), "RuntimeError: boom from postprocess");
}

TEST_F(Entrypoint, NoneIsASuccessfulRunAndOtherTypesFail) {
  const auto none = run_tool("qa-run", {"--input", "a.txt", "--param", "mode=none"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  const json record = single_record(none);
  EXPECT_EQ(record["status"], "ok");
  EXPECT_EQ(record["metrics"]["is_failed"], false);

  const auto other = run_tool("qa-run", {"--input", "a.txt", "--param", "mode=not-a-dict"});
  EXPECT_EQ(other.exit_code, 1) << other.err;
  EXPECT_CONTAINS(log_of(single_record(other)), "did not return a dict, but 42");
}

TEST_F(Entrypoint, TheContextHoldsTheRunAndForwardedArguments) {
  const auto result = run_tool(
      "qa-run", {"--input", "sub/b.txt", "--label", "tuning", "--config", "base", "--config",
                 "{level: 2, nested: {a: 1}}", "--param", "mode=none", "--", "--flag", "a b"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json record = single_record(result);
  const json s = seen(record);
  EXPECT_EQ(s["input_path"], (m_project / "data" / "sub" / "b.txt").string());
  EXPECT_EQ(s["rel_input_path"], "sub/b.txt");
  EXPECT_EQ(s["database"], (m_project / "data").string());
  EXPECT_EQ(s["output_dir"], record["output_dir"]);
  EXPECT_EQ(s["paths"], true);
  EXPECT_EQ(s["forwarded_args"], json({"--flag", "a b"}));
  EXPECT_EQ(s["configurations"], json::parse(R"(["base", {"level": 2, "nested": {"a": 1}}])"));
  EXPECT_EQ(s["configs"], json::parse(R"(["base", {"level": 2, "nested": {"a": 1}},
                                          {"forwarded_args": ["--flag", "a b"]}])"));
  EXPECT_EQ(s["params"], json::parse(R"({"level": 2, "nested": {"a": 1}, "mode": "none",
                                         "forwarded_args": ["--flag", "a b"]})"));
  EXPECT_EQ(s["platform"], "linux");
  EXPECT_EQ(s["type"], "default");
  EXPECT_EQ(s["dryrun"], false);
  EXPECT_EQ(s["obj_kept"], true);
  EXPECT_EQ(s["input_metadata"], json::parse(R"({"size": 3, "rel": "sub/b.txt"})"));
  EXPECT_EQ(s["helper"], "from qa/helper.py");
}

TEST_F(Entrypoint, QaboardConfigNamesDescribeTheProjectAndCommit) {
  const json s = seen(single_record(run_tool("qa-run", {"--input", "a.txt"})));
  EXPECT_EQ(s["is_ci"], false);
  EXPECT_EQ(s["commit_id"], m_sha);
  EXPECT_EQ(s["commit_branch"], "main");
  EXPECT_FALSE(s["committer"].get<std::string>().empty());
  EXPECT_EQ(s["project"], "acme/py");
  EXPECT_EQ(s["subproject"], ".");
  EXPECT_EQ(s["config_entrypoint"], "qa/main.py");
  EXPECT_EQ(s["root"], m_project.string());

  const json ci = seen(single_record(run_tool(
      "qa-run", {"--input", "a.txt"},
      {{"CI", "true"}, {"CI_COMMIT_SHA", std::string(40, 'c')}, {"CI_COMMIT_REF_NAME", "mr-1"}})));
  EXPECT_EQ(ci["is_ci"], true);
  EXPECT_EQ(ci["commit_id"], std::string(40, 'c'));
  EXPECT_EQ(ci["commit_branch"], "mr-1");
}

TEST_F(Entrypoint, DryRunPrintsThePythonCommand) {
  const auto result = run_tool("qa-run", {"--input", "a.txt", "--dry-run", "--", "x y"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(result.out.starts_with("python3 -u ")) << result.out;
  EXPECT_CONTAINS(result.out, "qatools_entrypoint.py");
  EXPECT_CONTAINS(result.out, (m_project / "qa" / "main.py").string());
  EXPECT_TRUE(result.out.ends_with(" 'x y'\n")) << result.out;
  EXPECT_FALSE(fs::exists(m_project / "output"));
}

TEST_F(Entrypoint, AMissingEntrypointIsAOneLineErrorNamingIt) {
  write_config("project: {name: acme/py, entrypoint: qa/nope.py}\ninputs: {database: data}\n");
  const auto result = run_tool("qa-run", {"--input", "a.txt"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(result.err.starts_with("qa-run: error: ")) << result.err;
  EXPECT_CONTAINS(result.err, (m_project / "qa" / "nope.py").string());
  EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << result.err;

  write_config("project: {name: acme/py}\ninputs: {database: data}\n");
  const auto neither = run_tool("qa-run", {"--input", "a.txt"});
  EXPECT_EQ(neither.exit_code, 2);
  EXPECT_CONTAINS(neither.err, "neither \"run.command\" nor \"project.entrypoint\"");
}

TEST_F(Entrypoint, AnEntrypointThatCannotBeImportedFailsTheRun) {
  write_text(m_project / "qa" / "main.py", "import no_such_module_here\n");
  const auto result = run_tool("qa-run", {"--input", "a.txt"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const json record = single_record(result);
  EXPECT_EQ(record["metrics"]["is_failed"], true);
  EXPECT_CONTAINS(log_of(record), "cannot import the entrypoint");
  EXPECT_CONTAINS(log_of(record), "no_such_module_here");
}

TEST_F(Entrypoint, QaBatchRunsTheEntrypointOnEveryInput) {
  const auto result = run_tool("qa-batch", {"both"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::size_t records = 0;
  std::size_t start = 0;
  while (start < result.out.size()) {
    const std::size_t end = result.out.find('\n', start);
    const json record = json::parse(result.out.substr(start, end - start));
    EXPECT_EQ(record["status"], "ok") << record;
    EXPECT_EQ(record["metrics"]["post"], 1.0);
    ++records;
    start = end + 1;
  }
  EXPECT_EQ(records, 2U);
}

}  // namespace
}  // namespace qa::test
