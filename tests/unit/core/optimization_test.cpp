// The qa.optimization/1 document: the reader on the golden document
// (tests/golden/report/optimization.json), a search without a best evaluation, and each invalid
// field named in one line; the writer (the best evaluation, non-finite numbers, what it writes
// read back).
#include <qa/core/optimization.hpp>

#include <gtest/gtest.h>

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace qa::core {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path k_document = fs::path(QA_SOURCE_DIR) / "tests/golden/report/optimization.json";

json document() { return json::parse(test::read_text(k_document)); }

TEST(OptimizationTest, ReadsEveryField) {
  const auto read = read_optimization(k_document);
  ASSERT_TRUE(read) << read.error().message;
  const Optimization& o = *read;
  EXPECT_EQ(o.project, "acme/demo");
  EXPECT_EQ(o.commit, std::string(40, 'b'));
  EXPECT_EQ(o.base_label, "default");
  EXPECT_EQ(o.file, "qa/optimize.yaml");
  EXPECT_EQ(o.solver, "global");
  EXPECT_EQ(o.seed, 42U);
  EXPECT_EQ(o.budget, 40U);
  EXPECT_EQ(o.parallel, 4U);
  EXPECT_EQ(o.objective, -31.9);
  EXPECT_EQ(o.params, (json{{"mode", "fine"}, {"radius", 3}, {"sigma", 1.4}, {"strength", 0.61}}));
  EXPECT_EQ(o.evaluation, 3U);
  EXPECT_EQ(o.label, "default.iter3");
  EXPECT_EQ(o.metrics, std::vector<std::string>{"psnr"});
  ASSERT_EQ(o.search_space.size(), 3U);
  EXPECT_EQ(o.search_space[0].kind, DimensionKind::real);
  EXPECT_EQ(o.search_space[0].prior, Prior::uniform);
  EXPECT_EQ(o.search_space[1].prior, Prior::log_uniform);
  EXPECT_EQ(o.search_space[1].low, 0.1);
  EXPECT_EQ(o.search_space[2].kind, DimensionKind::categorical);
  EXPECT_EQ(o.search_space[2].categories, (json{"fast", "fine"}));
  ASSERT_EQ(o.evaluations.size(), 5U);
  const Evaluation& failed = o.evaluations[1];
  EXPECT_EQ(failed.number, 2U);
  EXPECT_EQ(failed.status, EvaluationStatus::failed);
  EXPECT_FALSE(failed.objective);
  EXPECT_EQ(failed.runs.failed, 2U);
  EXPECT_EQ(failed.notes, std::vector<std::string>{"every run failed"});
  EXPECT_EQ(o.evaluations[4].status, EvaluationStatus::interrupted);
  EXPECT_EQ(o.evaluations[0].aggregates.at("psnr"), 30.1);
  EXPECT_EQ(o.evaluations[0].terms.at("psnr"), -30.1);
  EXPECT_EQ(o.evaluations[0].point["mode"], "fast");
  ASSERT_NE(o.best(), nullptr);
  EXPECT_EQ(o.best()->label, "default.iter3");
  EXPECT_EQ(o.best_runs.size(), 2U);
  EXPECT_EQ(o.best_runs.at("default.iter3/mode=fine,radius=3,sigma=1.4,strength=0.61/a.png"),
            "default/default/a.png");
  EXPECT_EQ(o.document, document());
}

TEST(OptimizationTest, EvaluationsAreSortedAndTheBestSoFarFollowsThem) {
  json doc = document();
  std::swap(doc["evaluations"][0], doc["evaluations"][3]);
  const auto read = optimization_from_json(doc, "best.json");
  ASSERT_TRUE(read) << read.error().message;
  std::vector<std::size_t> numbers;
  for (const auto& evaluation : read->evaluations) {
    numbers.push_back(evaluation.number);
  }
  EXPECT_EQ(numbers, (std::vector<std::size_t>{1, 2, 3, 4, 5}));
  const auto best = best_so_far(*read);
  const std::vector<std::optional<double>> expected{-30.1, -30.1, -31.9, -31.9, -31.9};
  EXPECT_EQ(best, expected);
}

TEST(OptimizationTest, NoEvaluationSucceeded) {
  json doc = document();
  for (auto& evaluation : doc["evaluations"]) {
    evaluation["status"] = "failed";
    evaluation["objective"] = nullptr;
  }
  for (const char* field : {"objective", "params", "evaluation", "label"}) {
    doc[field] = nullptr;
  }
  doc["best_runs"] = json::object();
  const auto read = optimization_from_json(doc, "best.json");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->best(), nullptr);
  EXPECT_FALSE(read->objective);
  EXPECT_TRUE(read->params.is_null());
  EXPECT_EQ(best_so_far(*read), std::vector<std::optional<double>>(5));
}

Evaluation make_evaluation(std::size_t number, EvaluationStatus status,
                           std::optional<double> objective = std::nullopt) {
  Evaluation e;
  e.number = number;
  e.label = evaluation_label("nightly", number);
  e.params = {{"strength", 0.1 * static_cast<double>(number)}};
  e.point = e.params;
  e.status = status;
  e.objective = objective;
  return e;
}

TEST(OptimizationTest, EvaluationLabel) {
  EXPECT_EQ(evaluation_label("nightly", 7), "nightly.iter7");
}

TEST(OptimizationTest, TheBestIsTheLowestObjectiveTheFirstAmongEquals) {
  Optimization o;
  o.evaluations = {make_evaluation(1, EvaluationStatus::failed),
                   make_evaluation(2, EvaluationStatus::ok, -1.0),
                   make_evaluation(3, EvaluationStatus::ok, -2.0),
                   make_evaluation(4, EvaluationStatus::ok, -2.0),
                   make_evaluation(5, EvaluationStatus::interrupted)};
  EXPECT_EQ(best_evaluation(o), 2U);
  set_best(o);
  EXPECT_EQ(o.objective, -2.0);
  EXPECT_EQ(o.params, o.evaluations[2].params);
  EXPECT_EQ(o.evaluation, 3U);
  EXPECT_EQ(o.label, "nightly.iter3");
  ASSERT_NE(o.best(), nullptr);
  EXPECT_EQ(o.best()->number, 3U);

  o.evaluations.resize(2);
  o.evaluations[1].status = EvaluationStatus::failed;
  EXPECT_FALSE(best_evaluation(o));
  set_best(o);
  EXPECT_FALSE(o.objective);
  EXPECT_TRUE(o.params.is_null());
  EXPECT_FALSE(o.evaluation);
  EXPECT_FALSE(o.label);
}

TEST(OptimizationTest, ToJsonWritesWhatTheReaderRead) {
  const auto read = read_optimization(k_document);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(to_json(*read), document());
}

TEST(OptimizationTest, WhatToJsonWritesReadsBack) {
  Optimization o;
  o.project = "acme/demo";
  o.commit = std::string(40, 'c') + "-dirty";
  o.base_label = "nightly";
  o.file = "qa/optimize.yaml";
  o.solver = "random";
  o.seed = 7;
  o.budget = 3;
  o.metrics = {"psnr"};
  Dimension strength;
  strength.name = "strength";
  strength.high = 1;
  strength.line = 4;
  o.search_space = {strength};
  o.evaluations = {make_evaluation(1, EvaluationStatus::ok, -3.5),
                   make_evaluation(2, EvaluationStatus::failed)};
  o.evaluations[0].terms = {{"psnr", -3.5}};
  o.evaluations[0].runs = {2, 2, 0};
  o.evaluations[1].notes = {"every run failed"};
  set_best(o);
  o.best_runs.emplace("nightly.iter1/strength=0.1/a.png", "nightly/default/a.png");
  const json written = to_json(o);
  EXPECT_EQ(written["schema"], k_optimization_schema);
  EXPECT_FALSE(written["search_space"][0].contains("line"));
  const auto read = optimization_from_json(written, "best.json");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->seed, 7U);
  EXPECT_EQ(read->label, "nightly.iter1");
  EXPECT_EQ(read->evaluations[0].runs.ok, 2U);
  EXPECT_EQ(read->evaluations[1].notes, o.evaluations[1].notes);
  EXPECT_EQ(read->best_runs.size(), 1U);
  EXPECT_EQ(to_json(*read), written);
}

TEST(OptimizationTest, ToJsonWritesANonFiniteNumberAsNull) {
  Optimization o;
  o.evaluations = {
      make_evaluation(1, EvaluationStatus::ok, -std::numeric_limits<double>::infinity())};
  o.evaluations[0].terms = {{"psnr", -std::numeric_limits<double>::infinity()}};
  set_best(o);
  const json written = to_json(o);
  EXPECT_TRUE(written["objective"].is_null());
  EXPECT_EQ(written["evaluation"], 1);
  EXPECT_TRUE(written["evaluations"][0]["objective"].is_null());
  EXPECT_TRUE(written["evaluations"][0]["terms"]["psnr"].is_null());
}

struct Invalid {
  std::string pointer;  // a JSON pointer into the golden document
  json value;           // what it is set to (a discarded value removes the field)
  std::string message;  // what the error says after `invalid optimization "best.json": `
};

class OptimizationInvalidTest : public testing::TestWithParam<Invalid> {};

TEST_P(OptimizationInvalidTest, NamesTheFileAndTheField) {
  const Invalid& c = GetParam();
  json doc = document();
  const json::json_pointer pointer(c.pointer);
  if (c.value.is_discarded()) {
    doc[pointer.parent_pointer()].erase(pointer.back());
  } else {
    doc[pointer] = c.value;
  }
  const auto read = optimization_from_json(doc, "best.json");
  ASSERT_FALSE(read) << c.pointer;
  EXPECT_EQ(read.error().message, "invalid optimization \"best.json\": " + c.message);
  EXPECT_EQ(read.error().kind, ErrorKind::config);
  EXPECT_EQ(read.error().message.find('\n'), std::string::npos);
}

const json k_removed = json(json::value_t::discarded);

INSTANTIATE_TEST_SUITE_P(
    Fields, OptimizationInvalidTest,
    testing::Values(
        Invalid{"/schema", "qa.optimization/2",
                "\"schema\" is \"qa.optimization/2\", not \"qa.optimization/1\""},
        Invalid{"/schema", k_removed, "\"schema\" must be a string"},
        Invalid{"/project", 7, "\"project\" must be a string"},
        Invalid{"/project", "a b",
                "\"project\": invalid project name \"a b\": use letters, digits, \".\", \"_\", "
                "\"-\" and \"/\""},
        Invalid{"/commit", "abc", "\"commit\": invalid commit \"abc\": expected a full hex sha"},
        Invalid{"/base_label", "a/b",
                "\"base_label\": invalid label \"a/b\": use 1 to 64 letters, digits, \".\", "
                "\"_\" or \"-\""},
        Invalid{"/file", k_removed, "\"file\" must be a string"},
        Invalid{"/seed", "42", "\"seed\" must be an integer"},
        Invalid{"/seed", 4.5, "\"seed\" must be an integer"},
        Invalid{"/budget", -1, "\"budget\" must be a non-negative integer"},
        Invalid{"/parallel", 0, "\"parallel\" must be 1 or more"},
        Invalid{"/objective", "low", "\"objective\" must be a number or null"},
        Invalid{"/label", nullptr,
                "\"objective\", \"params\", \"evaluation\" and \"label\" must all be set or all "
                "be null"},
        Invalid{"/evaluation", 9, "\"evaluation\" names 9, which is not among the evaluations"},
        Invalid{"/evaluation", 2,
                "\"label\" is \"default.iter3\", but evaluation 2 is \"default.iter2\" (failed)"},
        Invalid{"/params", json::array(), "\"params\" must be an object"},
        Invalid{"/metrics/0", 1, "\"metrics[0]\" must be a string"},
        Invalid{"/metrics", "psnr", "\"metrics\" must be a list"},
        Invalid{"/search_space/0/kind", "float",
                "\"search_space[0].kind\" must be real, integer or categorical"},
        Invalid{"/search_space/0/low", 2, "\"search_space[0].low\" must not be above \"high\""},
        Invalid{"/search_space/1/low", 0,
                "\"search_space[1].low\" must be positive with a log-uniform prior"},
        Invalid{"/search_space/1/prior", "normal",
                "\"search_space[1].prior\" must be uniform or log-uniform"},
        Invalid{"/search_space/2/categories", json::array(),
                "\"search_space[2].categories\" must not be empty"},
        Invalid{"/search_space/2/name", "strength",
                "\"search_space[2].name\" repeats \"strength\""},
        Invalid{"/search_space/1", "sigma", "\"search_space[1]\" must be an object"},
        Invalid{"/evaluations/1/status", "broken",
                "\"evaluations[1].status\" must be ok, failed or interrupted"},
        Invalid{"/evaluations/0/objective", nullptr,
                "\"evaluations[0].objective\" must be a number when the status is ok"},
        Invalid{"/evaluations/0/evaluation", 0, "\"evaluations[0].evaluation\" must be 1 or more"},
        Invalid{"/evaluations/1/evaluation", 1, "\"evaluations[1].evaluation\" repeats 1"},
        Invalid{"/evaluations/0/label", "iter 1",
                "\"evaluations[0].label\": invalid label \"iter 1\": use 1 to 64 letters, "
                "digits, \".\", \"_\" or \"-\""},
        Invalid{"/evaluations/0/point", "strength=1", "\"evaluations[0].point\" must be an object"},
        Invalid{"/evaluations/0/runs/ok", "2",
                "\"evaluations[0].runs.ok\" must be a non-negative integer"},
        Invalid{"/evaluations/0/aggregates/psnr", "high",
                "\"evaluations[0].aggregates.psnr\" must be a number"},
        Invalid{"/evaluations/0/terms", json::array(),
                "\"evaluations[0].terms\" must be an object"},
        Invalid{"/evaluations/1/notes/0", false, "\"evaluations[1].notes[0]\" must be a string"},
        Invalid{"/evaluations/2", json::array(), "\"evaluations[2]\" must be an object"},
        Invalid{"/best_runs/default.iter3~1mode=fine,radius=3,sigma=1.4,strength=0.61~1a.png", 1,
                "\"best_runs.default.iter3/mode=fine,radius=3,sigma=1.4,strength=0.61/a.png\" "
                "must be a string"},
        Invalid{"/best_runs/default.iter3~1mode=fine,radius=3,sigma=1.4,strength=0.61~1a.png",
                "nightly/default/a.png",
                "\"best_runs.default.iter3/mode=fine,radius=3,sigma=1.4,strength=0.61/a.png\" "
                "must name a run of the base label \"default\""},
        Invalid{"/best_runs/default.iter4~1x~1a.png", "default/default/a.png",
                "\"best_runs.default.iter4/x/a.png\" is not a run of the best evaluation "
                "(\"default.iter3\")"},
        Invalid{"/best_runs/a.png", "default/default/a.png",
                "\"best_runs.a.png\": invalid run key \"a.png\": expected "
                "<label>/<config>/<input>"}));

TEST(OptimizationTest, ANonObjectOrInvalidJsonIsAnError) {
  const auto array = optimization_from_json(json::array(), "best.json");
  ASSERT_FALSE(array);
  EXPECT_EQ(array.error().message, "invalid optimization \"best.json\": not a JSON object");

  const test::TempDir dir;
  test::write_text(dir / "best.json", "{\"schema\": ");
  const auto broken = read_optimization(dir / "best.json");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().message,
            "invalid optimization \"" + (dir / "best.json").string() + "\": not valid JSON");

  const auto missing = read_optimization(dir / "none.json");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("none.json"), std::string::npos)
      << missing.error().message;
}

}  // namespace
}  // namespace qa::core
