// qa-batch --optimize on real git repositories made by the tests: QA-Board's optimization file,
// evaluations as whole batches, a failing evaluation, Ctrl-C then resume (issue 17).
#include <signal.h>

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "support/records.hpp"
#include "support/tool_fixture.hpp"

namespace qa::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A project whose "algorithm" scores its params: the score is smallest at a = 0.3, radius = 2,
// mode fine; it fails for a > 0.7. Each run appends its output folder to counter.txt.
class QaBatchOptimize : public ToolTest {
 protected:
  QaBatchOptimize() {
    write_config(R"(project: {name: acme/tune}
inputs: {database: data, globs: ['*.txt'], batches: batches.yaml}
run:
  command: echo {output_dir} >> {project_root}/counter.txt; python3 {project_root}/score.py '{params_json}' {output_dir} {input_path}
  params: {a: 0.5, radius: 3, mode: fine}
outputs: {metrics: metrics.yaml}
)");
    write_text(m_project / "score.py", R"(import json, os, sys, time
params = json.loads(sys.argv[1])
time.sleep(float(params.get("sleep", 0)))
a, radius, mode = float(params["a"]), int(params["radius"]), params["mode"]
if a > 0.7:
    sys.exit("a is too large")
offset = 0.01 if sys.argv[3].endswith("b.txt") else 0.0
score = (a - 0.3) ** 2 + 0.1 * (radius - 2) ** 2 + (0.5 if mode == "fast" else 0.0) + offset
with open(os.path.join(sys.argv[2], "metrics.json"), "w") as f:
    json.dump({"score": score, "quality": 1 - score}, f)
)");
    write_text(m_project / "batches.yaml", "tune: {inputs: [a.txt, b.txt]}\n");
    write_text(m_project / "metrics.yaml",
               "available_metrics:\n"
               "  score: {smaller_is_better: true}\n"
               "  quality: {smaller_is_better: false, target: 1}\n");
    write_text(m_project / "optimize.yaml", R"(# QA-Board's optimization file
evaluations: 12
parallel_sampling: 2
objective:
  score: {weight: 1}
search_space:
  - Real: {name: a, low: 0, high: 1}
  - Integer: {name: radius, low: 1, high: 5}
  - Categorical: {name: mode, categories: [fast, fine]}
preset_params: {preset: 7}
solver: {random_state: 3, n_initial_points: 4}
)");
    write_text(m_project / "data" / "a.txt", "a");
    write_text(m_project / "data" / "b.txt", "b");
    write_text(m_project / ".gitignore", "output/\ncounter.txt\n*.json\n");
    m_sha = m_repo->commit_all("tuning project");
  }

  // The number of runs of each output folder in counter.txt.
  [[nodiscard]] std::map<std::string, int> executions() const {
    std::map<std::string, int> runs;
    std::istringstream counter(read_text(m_project / "counter.txt"));
    for (std::string line; std::getline(counter, line);) {
      ++runs[line];
    }
    return runs;
  }

  static json points(const json& trace) {
    json out = json::array();
    for (const auto& evaluation : trace["evaluations"]) {
      out.push_back(evaluation["point"]);
    }
    return out;
  }

  std::string m_sha;
};

TEST_F(QaBatchOptimize, IntegerCategoricalAndAFailingEvaluationFindTheBestPoint) {
  const auto result = run_tool(
      "qa-batch", {"tune", "--optimize", "optimize.yaml", "--best", "best.json", "-j", "4"});
  // Runs with a > 0.7 fail: the search goes on, and the exit code says a run failed.
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const json trace = json::parse(read_text(m_project / "best.json"));
  EXPECT_EQ(trace["schema"], "qa.optimization/1");
  EXPECT_EQ(trace["project"], "acme/tune");
  EXPECT_EQ(trace["commit"], m_sha);
  EXPECT_EQ(trace["base_label"], "default");
  EXPECT_EQ(trace["seed"], 3);
  EXPECT_EQ(trace["budget"], 12);
  EXPECT_EQ(trace["parallel"], 2);
  EXPECT_EQ(trace["metrics"], json::array({"score"}));
  ASSERT_EQ(trace["evaluations"].size(), 12U);

  std::size_t failed = 0;
  std::optional<double> lowest;
  std::set<std::string> distinct;
  for (std::size_t i = 0; i < 12; ++i) {
    const json& evaluation = trace["evaluations"][i];
    EXPECT_EQ(evaluation["evaluation"], i + 1);
    EXPECT_EQ(evaluation["label"], "default.iter" + std::to_string(i + 1));
    const json& params = evaluation["params"];
    ASSERT_TRUE(params["radius"].is_number_integer()) << params;
    EXPECT_GE(params["radius"].get<int>(), 1);
    EXPECT_LE(params["radius"].get<int>(), 5);
    EXPECT_TRUE(params["mode"] == "fast" || params["mode"] == "fine") << params;
    EXPECT_EQ(params["preset"], 7);
    EXPECT_FALSE(evaluation["point"].contains("preset"));
    distinct.insert(evaluation["point"].dump());
    EXPECT_EQ(evaluation["runs"]["total"], 2);
    if (params["a"].get<double>() > 0.7) {
      ++failed;
      EXPECT_EQ(evaluation["status"], "failed");
      EXPECT_TRUE(evaluation["objective"].is_null());
      ASSERT_FALSE(evaluation["notes"].empty());
      EXPECT_NE(evaluation["notes"][0].get<std::string>().find("2 of 2 runs failed"),
                std::string::npos)
          << evaluation["notes"];
    } else {
      EXPECT_EQ(evaluation["status"], "ok") << evaluation;
      const double objective = evaluation["objective"].get<double>();
      // The objective is the mean score of the two runs, as QA-Board's `sum` reduce gives it.
      const double a = params["a"].get<double>();
      const double radius = params["radius"].get<double>();
      const double expected = (a - 0.3) * (a - 0.3) + 0.1 * (radius - 2) * (radius - 2) +
                              (params["mode"] == "fast" ? 0.5 : 0.0) + 0.005;
      EXPECT_NEAR(objective, expected, 1e-9) << evaluation;
      EXPECT_NEAR(evaluation["aggregates"]["score"].get<double>(), expected, 1e-9);
      lowest = lowest ? std::min(*lowest, objective) : objective;
    }
  }
  EXPECT_EQ(distinct.size(), 12U) << "a point was evaluated twice";
  EXPECT_GE(failed, 1U) << "the search never tried a > 0.7: the test does not test failures";
  ASSERT_TRUE(lowest);
  EXPECT_EQ(trace["objective"].get<double>(), *lowest);
  const std::size_t best = trace["evaluation"].get<std::size_t>();
  EXPECT_EQ(trace["label"], "default.iter" + std::to_string(best));
  EXPECT_EQ(trace["params"], trace["evaluations"][best - 1]["params"]);
  EXPECT_EQ(trace["params"]["mode"], "fine");
  EXPECT_LT(trace["objective"].get<double>(), trace["evaluations"][0]["objective"].get<double>())
      << "the search did not improve on its first point";

  // Every run's record streamed on stdout, under its evaluation's label; the best runs map to
  // the plain batch's keys.
  const auto records = parse_json_lines(result.out);
  EXPECT_EQ(records.size(), 24U);
  std::map<std::string, int> per_label;
  for (const auto& record : records) {
    ++per_label[record["label"].get<std::string>()];
  }
  EXPECT_EQ(per_label.size(), 12U);
  EXPECT_EQ(per_label["default.iter1"], 2);
  ASSERT_EQ(trace["best_runs"].size(), 2U);
  for (const auto& [key, plain] : trace["best_runs"].items()) {
    EXPECT_TRUE(key.starts_with(trace["label"].get<std::string>() + "/")) << key;
    EXPECT_TRUE(plain.get<std::string>().starts_with("default/")) << plain;
  }
  EXPECT_NE(result.err.find("best objective"), std::string::npos) << result.err;

  // The output folders left: the best evaluation's and the failed ones' (the others' outputs
  // are in the store).
  std::set<std::string> expected_folders{trace["label"].get<std::string>()};
  for (const auto& evaluation : trace["evaluations"]) {
    if (evaluation["status"] == "failed") {
      expected_folders.insert(evaluation["label"].get<std::string>());
    }
  }
  std::set<std::string> folders;
  for (const auto& entry : fs::directory_iterator(m_project / "output")) {
    if (entry.is_directory()) {
      folders.insert(entry.path().filename().string());
    }
  }
  EXPECT_EQ(folders, expected_folders);

  // qa-report reads what --best wrote, and reports the best evaluation's runs.
  const auto report = run_tool("qa-report", {"--commit", "HEAD", "--optimization", "best.json",
                                             "--md", "-", "--html", "report/index.html"});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(report.out.find("Optimization"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find(trace["label"].get<std::string>()), std::string::npos);
  EXPECT_TRUE(fs::exists(m_project / "report" / "index.html"));
}

TEST_F(QaBatchOptimize, TheSeedComesFromTheOptionThenQaSeedThenTheFile) {
  write_text(m_project / "optimize.yaml",
             "evaluations: 4\nobjective: {score: {}}\nsolver: {random_state: 3}\n"
             "search_space:\n  - Real: {name: a, low: 0, high: 1}\n"
             "  - Integer: {name: radius, low: 1, high: 5}\n"
             "  - Categorical: {name: mode, categories: [fast, fine]}\n");
  const auto of_seed = [&](const std::vector<std::string>& extra,
                           const std::map<std::string, std::string>& env) {
    std::vector<std::string> args{"tune",   "--optimize", "optimize.yaml", "--best",
                                  "s.json", "--solver",   "random"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto result = run_tool("qa-batch", args, env);
    EXPECT_LE(result.exit_code, 1) << result.err;
    return json::parse(read_text(m_project / "s.json"));
  };
  const json from_file = of_seed({}, {});
  EXPECT_EQ(from_file["seed"], 3);
  EXPECT_EQ(from_file["solver"], "random");
  const json from_env = of_seed({}, {{"QA_SEED", "11"}});
  EXPECT_EQ(from_env["seed"], 11);
  const json from_option = of_seed({"--seed", "11"}, {{"QA_SEED", "5"}});
  EXPECT_EQ(from_option["seed"], 11);
  EXPECT_EQ(points(from_env), points(from_option));
  EXPECT_NE(points(from_env), points(from_file));
}

TEST_F(QaBatchOptimize, CtrlCKeepsTheEvaluationsAndSkipResumesWithoutRunningThemAgain) {
  write_text(m_project / "optimize.yaml", R"(evaluations: 8
parallel_sampling: 2
objective: {score: {}}
search_space:
  - Real: {name: a, low: 0, high: 0.7}
  - Integer: {name: radius, low: 1, high: 5}
  - Categorical: {name: mode, categories: [fast, fine]}
preset_params: {sleep: 0.4}
)");
  // Uninterrupted, under another label: the points the search asks.
  const auto whole = run_tool("qa-batch", {"tune", "--optimize", "optimize.yaml", "--best",
                                           "whole.json", "--label", "whole", "-j", "4"});
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const json expected = json::parse(read_text(m_project / "whole.json"));
  ASSERT_EQ(expected["evaluations"].size(), 8U);

  const auto env = clean_environment(m_home, {{"QA_STORE", m_store.string()}});
  const std::vector<std::string> argv{tool_path("qa-batch").string(),
                                      "tune",
                                      "--optimize",
                                      "optimize.yaml",
                                      "--best",
                                      "first.json",
                                      "-j",
                                      "4"};
  const int pid = spawn_process(argv, m_project, env, m_tmp / "first.out", m_tmp / "first.err");
  for (int i = 0; i < 1000; ++i) {
    if (read_text(m_tmp / "first.err").find("evaluations 5-6 of 8") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // --best is written after each wave: what is done so far, while the search runs.
  const json so_far = json::parse(read_text(m_project / "first.json"), nullptr, false);
  ASSERT_TRUE(so_far.is_object());
  EXPECT_EQ(so_far["evaluations"].size(), 4U);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  const auto code = wait_process(pid, 10000);
  ASSERT_TRUE(code.has_value()) << "qa-batch did not stop";
  ASSERT_EQ(*code, 130) << read_text(m_tmp / "first.err");
  EXPECT_NE(read_text(m_tmp / "first.err").find("--on-existing skip"), std::string::npos);

  // What was evaluated is kept: the trace says which evaluations were interrupted.
  const json first = json::parse(read_text(m_project / "first.json"));
  ASSERT_EQ(first["evaluations"].size(), 6U) << first.dump(1);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(first["evaluations"][i]["status"], "ok");
    EXPECT_EQ(first["evaluations"][i]["point"], expected["evaluations"][i]["point"]);
  }
  EXPECT_EQ(first["evaluations"][4]["status"], "interrupted");
  EXPECT_EQ(first["evaluations"][5]["status"], "interrupted");
  const auto before = executions();

  const auto resumed = run_tool("qa-batch", {"tune", "--optimize", "optimize.yaml", "--best",
                                             "resumed.json", "-j", "4", "--on-existing", "skip"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  const json trace = json::parse(read_text(m_project / "resumed.json"));
  // The same search as without the interrupt.
  EXPECT_EQ(points(trace), points(expected));
  EXPECT_EQ(trace["objective"], expected["objective"]);
  EXPECT_EQ(trace["evaluation"], expected["evaluation"]);
  EXPECT_EQ(parse_json_lines(resumed.out).size(), 16U);
  // The runs of the first four evaluations ran once, before the interrupt; every other run of
  // this label ran to its end once after it (an interrupted run may have started twice).
  const auto after = executions();
  std::size_t evaluated_before = 0;
  for (const auto& [folder, count] : before) {
    for (int n = 1; n <= 4; ++n) {
      if (folder.find("/default.iter" + std::to_string(n) + "/") != std::string::npos) {
        ++evaluated_before;
        EXPECT_EQ(after.at(folder), 1) << folder << " was run again";
      }
    }
  }
  EXPECT_EQ(evaluated_before, 8U);
}

TEST_F(QaBatchOptimize, ShiftLossesTakeEachRunsTargetFromTheTargetRevision) {
  // The targets: the batch at its default params (a 0.5, radius 3, fine), labelled "base".
  const auto base = run_tool("qa-batch", {"tune", "--label", "base"});
  ASSERT_EQ(base.exit_code, 0) << base.err;
  write_text(m_project / "optimize.yaml",
             "evaluations: 4\n"
             "objective:\n  score: {loss: shift}\n  target: {id: " +
                 m_sha +
                 ", batch: base}\n"
                 "search_space:\n  - Real: {name: a, low: 0, high: 0.7}\n");
  const auto result =
      run_tool("qa-batch", {"tune", "--optimize", "optimize.yaml", "--best", "best.json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json trace = json::parse(read_text(m_project / "best.json"));
  ASSERT_EQ(trace["evaluations"].size(), 4U);
  for (const auto& evaluation : trace["evaluations"]) {
    // Each run's score minus the same input's score at the target (0.14 for a.txt, 0.15 for
    // b.txt), averaged: the inputs' offsets cancel out.
    const double a = evaluation["params"]["a"].get<double>();
    EXPECT_NEAR(evaluation["objective"].get<double>(), (a - 0.3) * (a - 0.3) - 0.04, 1e-9)
        << evaluation;
  }

  // A target revision without the runs is an error before anything runs.
  const auto runs_before = executions().size();
  write_text(m_project / "optimize.yaml",
             "evaluations: 4\n"
             "objective:\n  score: {loss: shift}\n  target: {id: " +
                 m_sha +
                 ", batch: nothere}\n"
                 "search_space:\n  - Real: {name: a, low: 0, high: 0.7}\n");
  const auto missing = run_tool("qa-batch", {"tune", "--optimize", "optimize.yaml"});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_NE(missing.err.find("has no record for 2 of 2 runs"), std::string::npos) << missing.err;
  EXPECT_EQ(executions().size(), runs_before);
}

TEST_F(QaBatchOptimize, QaOptimizeIsQaBoardsSpellingOfTheSearch) {
  write_text(m_project / "optimize.yaml",
             "evaluations: 3\nobjective: {quality: {}}\n"
             "search_space:\n  - Real: {name: a, low: 0, high: 0.7}\n");
  const auto result = run_tool(
      "qa", {"--label", "tuned", "optimize", "--batch", "tune", "--config-file", "optimize.yaml"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto records = parse_json_lines(result.out);
  ASSERT_EQ(records.size(), 6U);
  std::set<std::string> labels;
  for (const auto& record : records) {
    labels.insert(record["label"].get<std::string>());
    EXPECT_EQ(record["params"]["radius"], 3) << "run.params stay under the searched ones";
  }
  EXPECT_EQ(labels, (std::set<std::string>{"tuned.iter1", "tuned.iter2", "tuned.iter3"}));
}

TEST_F(QaBatchOptimize, BadOptionsAndFilesAreOneLineErrors) {
  const auto expect_usage = [&](const std::vector<std::string>& args, const std::string& text) {
    const auto result = run_tool("qa-batch", args);
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_NE(result.err.find(text), std::string::npos) << result.err;
    EXPECT_EQ(result.out, "");
  };
  expect_usage({"tune", "--best", "b.json"}, "need --optimize FILE");
  expect_usage({"tune", "--optimize", "missing.yaml"}, "missing.yaml");
  expect_usage({"tune", "--optimize", "optimize.yaml", "--list"}, "--list cannot be combined");
  expect_usage({"tune", "--optimize", "optimize.yaml", "--shard", "0/2"},
               "--shard cannot be combined");
  expect_usage({"tune", "--optimize", "optimize.yaml", "--solver", "grid"}, "--solver");
  expect_usage({"tune", "--optimize", "optimize.yaml", "--best", "optimize.yaml/best.json"},
               "optimize.yaml/best.json");
  expect_usage({"tune", "--optimize", "optimize.yaml", "--label", std::string(60, 'x')},
               "cannot label the evaluations");
  write_text(m_project / "bad.yaml",
             "evaluations: 5\nobjective: {psnr: {}}\nsearch_space:\n"
             "  - Real: {name: a, low: 0, high: 1}\n");
  expect_usage({"tune", "--optimize", "bad.yaml"}, "psnr");
  write_text(m_project / "bad.yaml",
             "evaluations: 5\nobjective: {score: {}}\nsearch_space:\n"
             "  - Reel: {name: a, low: 0, high: 1}\n");
  expect_usage({"tune", "--optimize", "bad.yaml"}, "line 4");
  EXPECT_FALSE(fs::exists(m_project / "counter.txt")) << "nothing runs after a usage error";
  const auto seed =
      run_tool("qa-batch", {"tune", "--optimize", "optimize.yaml"}, {{"QA_SEED", "x1"}});
  EXPECT_EQ(seed.exit_code, 2);
  EXPECT_NE(seed.err.find("invalid QA_SEED \"x1\""), std::string::npos) << seed.err;
}

}  // namespace
}  // namespace qa::test
