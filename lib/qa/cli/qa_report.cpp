#include <chrono>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <thread>
#include <unordered_map>
#include <utility>

#include <qa/cli/common.hpp>
#include <qa/cli/qa_report_history.hpp>
#include <qa/cli/tools.hpp>
#include <qa/core/metric_defs.hpp>
#include <qa/core/optimization.hpp>
#include <qa/core/params.hpp>
#include <qa/report/ci_links.hpp>
#include <qa/report/html_report.hpp>
#include <qa/report/optimization_runs.hpp>
#include <qa/report/report_json.hpp>
#include <qa/report/report_writers.hpp>
#include <qa/report/review_comment.hpp>
#include <qa/report/verdict.hpp>
#include <qa/runner/records.hpp>
#include <qa/runner/reference.hpp>
#include <qa/store/store.hpp>
#include <qa/util/atomic_file.hpp>
#include <qa/util/bury.hpp>
#include <qa/util/env.hpp>
#include <qa/util/log.hpp>
#include <qa/util/time.hpp>

namespace qa::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_examples = R"(Examples:
  qa-batch nightly | qa-report                 a table of what changed, on stdout
  qa-batch nightly | qa-report --html report/index.html --junit junit.xml --md summary.md
                                               several reports at once
  qa-report --commit HEAD nightly --json report.json      the stored runs of a batch
  qa-report --reference v1.2 --fail-on regression < runs.jsonl
                                               saved records against v1.2, gated on regressions
  qa-batch nightly | qa-report --comment gitlab --junit junit.xml
                                               in a merge request pipeline: one comment kept
                                               up to date
  qa-batch nightly --optimize qa/optimize.yaml --best best.json | qa-report --optimization best.json
                                               the best evaluation's runs against the
                                               reference's plain runs, and the search
  qa-report --history main --last 30 --html history.html --md history.md
                                               metric trends of main's last 30 commits with
                                               results
  qa-report nightly --html public/index.html --history-url history.html
                                               a report whose page links to the history

Each run is compared with the run of the same key at the reference commit (auto: the nearest
ancestor on the reference branch with results). Metrics are judged by the metrics file
(outputs.metrics): smaller_is_better, and tolerance, the relative change allowed before a
worsening is a regression. --json, --md, --junit and --openmetrics take "-" for stdout. With
GITHUB_STEP_SUMMARY set, the Markdown summary is appended to that file. Exit codes: 0 success,
1 the gate failed (--fail-on: failed runs by default), 2 usage, configuration or environment
error, 3 no reference results with --require-reference.

--optimization FILE reads the --best document of qa-batch --optimize (qa.optimization/1): only the
runs of the best evaluation (label <label>.iter<N>) are reported, each compared with the run of the
same batch without the searched parameters at the reference (the document's best_runs names it);
its own key stays in the run's badge evaluation_key. Every format adds the search: the best
objective and parameters, a table of evaluations, and in HTML the convergence and one chart per
parameter. When no evaluation succeeded, only the search is reported, with a warning.

--history BRANCH reports the branch's commits instead of one: first parents only, newest first,
from git, and when the clone is shallow (or git lacks the branch) further back from the store's
branch index chain. Each of the last N commits with results (--last, default 20; at most
max(200, 10 N) commits are looked at) gets per label and config the mean, median and count of
every metric and its ok and failed runs; commits without results in between are listed as gaps.
BATCH arguments limit it to the runs of those batches. --json writes qa.history/1, --md a table of
the main metrics per group with trend arrows, --html a page of line charts where a point opens that
commit's aggregates; without them, a text summary. --commit and --reference do not apply.
--history-url URL says where that page is published (e.g. history.html beside the report): the
report's page and Markdown link to it.

--comment keeps one comment on the merge or pull request up to date: the Markdown summary, found
again by its first line (<!-- qa-report:LABELS -->) and edited, else created.
  gitlab  merge request notes; needs CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID (set in
          merge request pipelines) and a token with the api scope in QA_GITLAB_TOKEN or
          GITLAB_TOKEN (a project or personal access token, kept in a masked CI/CD variable;
          CI_JOB_TOKEN cannot write notes). CI_SERVER_TLS_CA_FILE is used when set.
  github  pull request comments; needs GITHUB_TOKEN (with permissions: pull-requests: write),
          GITHUB_REPOSITORY, and the pull request from GITHUB_EVENT_PATH or GITHUB_REF
          (refs/pull/N/merge); GITHUB_API_URL when not api.github.com.
Outside a merge or pull request, or without a token, it says so on stderr and sends nothing. The
token is sent only in a request header, never printed. A comment that cannot be posted (refused,
unreachable after retries) is a warning: the exit code is the report's alone; -v shows each
request.)";

struct ReportOptions {
  CommonOptions common;
  std::vector<std::string> batches;
  std::optional<std::string> commit;
  std::optional<std::string> reference;  // --reference; none: each batch's, else auto
  bool require_reference = false;
  std::string fail_on = "failed";
  int max_depth = 20;
  std::optional<std::string> json;
  std::optional<std::string> md;
  std::optional<std::string> junit;
  std::optional<std::string> openmetrics;
  std::optional<std::string> html;
  std::optional<std::string> assets;
  std::optional<std::string> comment;
  std::optional<std::string> optimization;
  std::optional<std::string> history;  // --history BRANCH
  std::size_t last = 20;
  std::optional<std::string> history_url;
};

// Write `content` to `target`: "-" is stdout, else a file written atomically.
Expected<void> write_output(const std::string& target, std::string_view content) {
  if (target == "-") {
    std::cout << content;
    std::cout.flush();
    return {};
  }
  QA_TRY(util::write_file_atomic(target, content, util::Fsync::no));
  util::log::info("wrote {}", target);
  return {};
}

Expected<void> append_step_summary(std::string_view markdown) {
  const auto summary = util::env_value("GITHUB_STEP_SUMMARY");
  if (!summary || summary->empty()) {
    return {};
  }
  std::ofstream out(*summary, std::ios::app | std::ios::binary);
  out << markdown << "\n";
  out.close();
  if (!out) {
    return fail("cannot append to GITHUB_STEP_SUMMARY file {}", quote(*summary));
  }
  return {};
}

// Milliseconds between laps, for -v.
class Stopwatch {
 public:
  long lap_ms() {
    const auto now = std::chrono::steady_clock::now();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - m_last).count();
    m_last = now;
    return static_cast<long>(ms);
  }

 private:
  std::chrono::steady_clock::time_point m_last = std::chrono::steady_clock::now();
};

// Create or update the comment of `markdown` on the merge or pull request of `forge`, by the
// registered poster. Whatever happens is said on stderr and changes no exit code: the comment is
// a side effect of the report.
void update_comment(const std::string& forge, const std::string& markdown) {
  const report::Forge which = forge == "github" ? report::Forge::github : report::Forge::gitlab;
  const std::string_view noun = report::review_noun(which);
  const auto poster = report::comment_poster();
  if (!poster) {
    util::log::warning(
        "cannot update the {} comment: --comment is not available in this program "
        "(it is built without the http library)",
        noun);
    return;
  }
  const auto marker = report::markdown_marker(markdown);
  if (!marker) {
    util::log::warning("cannot update the {} comment: the summary has no marker", noun);
    return;
  }
  const auto outcome = poster(report::CommentRequest{which, *marker, markdown});
  if (!outcome) {
    util::log::warning("cannot update the {} comment: {}", noun, outcome.error().message);
    return;
  }
  switch (outcome->action) {
    case report::CommentAction::created:
      util::log::info("created the {} comment ({})", noun, outcome->detail);
      break;
    case report::CommentAction::updated:
      util::log::info("updated the {} comment ({})", noun, outcome->detail);
      break;
    case report::CommentAction::skipped:
      util::log::info("no {} comment: {}", noun, outcome->detail);
      break;
  }
}

// Check that the optimization `optimization`, read from `file`, is the one of `records`: the same
// project and commit.
Expected<void> check_same_runs(const core::Optimization& optimization, const std::string& file,
                               const std::vector<core::RunRecord>& records) {
  for (const auto& record : records) {
    if (record.project != optimization.project) {
      return fail_as(ErrorKind::usage,
                     "the optimization {} is of project {}, the runs of {}: give the --best "
                     "document of the batch that made these runs",
                     quote(file), quote(optimization.project), quote(record.project));
    }
    if (record.commit != optimization.commit) {
      return fail_as(ErrorKind::usage,
                     "the optimization {} is of commit {}, the runs of {}: give the --best "
                     "document of the batch that made these runs",
                     quote(file), quote(optimization.commit), quote(record.commit));
    }
  }
  return {};
}

// Keep the best evaluation's runs of `selected`, renamed after their plain runs (see
// report/optimization_runs.hpp), and make the reference keys the plain ones.
Expected<void> select_best_runs(const core::Optimization& optimization, const std::string& file,
                                runner::SelectedRecords& selected) {
  QA_TRY(check_same_runs(optimization, file, selected.records));
  auto best = report::best_runs(std::move(selected.records), optimization);
  selected.records = std::move(best.records);
  selected.planned = report::plain_keys(selected.planned, optimization);
  util::log::debug("{} runs of other evaluations left out", best.left_out);
  if (!optimization.label) {
    util::log::warning(
        "no evaluation of the optimization {} succeeded: only the search is reported", quote(file));
    return {};
  }
  if (!best.unmapped.empty()) {
    util::log::warning(
        "{} runs of {} have no plain run in the optimization's best_runs (first: {}): they are "
        "compared under their own keys",
        best.unmapped.size(), *optimization.label, quote(best.unmapped.front()));
  }
  if (selected.records.empty()) {
    return fail_as(ErrorKind::usage,
                   "no runs of the best evaluation {} of {}: pipe the records of qa-batch "
                   "--optimize, or name their commit (--commit REF)",
                   quote(*optimization.label), quote(file));
  }
  return {};
}

// The reference runs of a report and the JSON that says where they come from.
struct ReferenceSide {
  nlohmann::json json;
  std::vector<core::RunRecord> records;
};

// The reference of the runs of `selected` that compare with `ref`, and its runs. No reference
// results is an error with --require-reference, else a warning: the runs are then new.
Expected<ReferenceSide> reference_of(const runner::ProjectContext& context, store::Store& store,
                                     const ReportOptions& options, const std::string& ref,
                                     const runner::SelectedRecords& selected) {
  ReferenceSide side;
  const auto& records = selected.records;
  // Only an optimization without a best evaluation has no runs here.
  Expected<runner::ReferenceChoice> choice = tl::unexpected(Error{
      "no evaluation of the optimization succeeded: no runs to compare", ErrorKind::no_reference});
  if (!records.empty()) {
    choice = runner::resolve_reference(context, store,
                                       runner::reference_request(ref, options.max_depth, records));
  }
  if (choice) {
    util::log::info("reference {}: {}", choice->commit.substr(0, 12), choice->reason);
    side.json = runner::to_json(*choice);
    QA_TRY_ASSIGN(side.records, runner::reference_records(store, records.front().project,
                                                          choice->commit, selected));
    return side;
  }
  if (!records.empty() &&
      (choice.error().kind != ErrorKind::no_reference || options.require_reference)) {
    return tl::unexpected(choice.error());
  }
  if (!records.empty()) {
    util::log::warning("{}; every run is reported as new", choice.error().message);
  }
  side.json = {{"requested", ref},
               {"commit", nullptr},
               {"reason", choice.error().message},
               {"tried", nlohmann::json::array()}};
  return side;
}

// The references of `selected`: --reference, else each batch's `reference:`, else auto. With
// several (batches with references of their own), the first is the report's reference and each
// is listed under "per_batch" with its number of runs.
Expected<ReferenceSide> references_of(const runner::ProjectContext& context, store::Store& store,
                                      const ReportOptions& options,
                                      const runner::SelectedRecords& selected) {
  const auto groups = runner::reference_groups(options.reference, selected);
  if (groups.size() <= 1) {
    return reference_of(context, store, options,
                        groups.empty() ? options.reference.value_or("auto") : groups.front().ref,
                        selected);
  }
  ReferenceSide side;
  std::vector<nlohmann::json> choices;
  for (const auto& group : groups) {
    QA_TRY_ASSIGN(auto part, reference_of(context, store, options, group.ref,
                                          runner::group_selection(selected, group)));
    choices.push_back(std::move(part.json));
    std::move(part.records.begin(), part.records.end(), std::back_inserter(side.records));
  }
  side.json = runner::references_json(groups, std::move(choices));
  return side;
}

// Check the options of --history and report the history.
Expected<int> run_history_report(const ReportOptions& options) {
  for (const auto& [given, name] : {std::pair{options.commit.has_value(), "--commit"},
                                    std::pair{options.reference.has_value(), "--reference"},
                                    std::pair{options.junit.has_value(), "--junit"},
                                    std::pair{options.openmetrics.has_value(), "--openmetrics"},
                                    std::pair{options.comment.has_value(), "--comment"},
                                    std::pair{options.optimization.has_value(), "--optimization"},
                                    std::pair{options.require_reference, "--require-reference"}}) {
    if (given) {
      return fail_as(ErrorKind::usage,
                     "--history reports the commits of a branch and takes no {} (it writes "
                     "--json, --md and --html)",
                     name);
    }
  }
  HistoryOptions history;
  history.branch = *options.history;
  history.last = options.last;
  history.json = options.json;
  history.md = options.md;
  history.html = options.html;
  history.history_url = options.history_url;
  return run_history(options.common, options.batches, history);
}

Expected<int> run(const ReportOptions& options) {
  if (options.history_url && !report::is_link_target(*options.history_url)) {
    return fail_as(ErrorKind::usage,
                   "invalid --history-url {}: give an http(s) URL or a relative path",
                   quote(*options.history_url));
  }
  if (options.history) {
    return run_history_report(options);
  }
  QA_TRY_ASSIGN(const auto context, project_context(options.common));
  QA_TRY_ASSIGN(auto store, store::Store::open(context.store_location, store::Access::read_only));
  core::MetricDefs defs;
  if (!context.config.metrics_file.empty()) {
    std::vector<std::string> notices;
    QA_TRY_ASSIGN(defs, core::load_metric_defs(context.config.metrics_file, &notices));
    for (const auto& notice : notices) {
      util::log::warning("{}", notice);
    }
  }

  std::optional<core::Optimization> optimization;
  if (options.optimization) {
    QA_TRY_ASSIGN(optimization, core::read_optimization(*options.optimization));
  }

  Stopwatch watch;
  runner::RecordQuery query;
  query.tool = "qa-report";
  QA_TRY_ASSIGN(query.plan, plan_request(options.common, options.batches));
  if (optimization && optimization->label) {
    // The best evaluation ran the batches with its parameters given on top of --param (as
    // qa-batch --optimize does), under its label.
    core::deep_merge(query.plan.params, optimization->params);
    query.plan.label = *optimization->label;
  }
  query.commit = options.commit;
  QA_TRY_ASSIGN(auto selected, runner::select_records(context, store, query));
  auto& records = selected.records;
  QA_TRY(check_one_project(records));
  util::log::debug("{} records read in {} ms", records.size(), watch.lap_ms());
  if (optimization) {
    QA_TRY(select_best_runs(*optimization, *options.optimization, selected));
  } else if (records.empty()) {
    return fail("no runs to report");
  }

  QA_TRY_ASSIGN(auto reference_side, references_of(context, store, options, selected));
  util::log::debug("{} reference records read in {} ms", reference_side.records.size(),
                   watch.lap_ms());
  nlohmann::json reference_json = std::move(reference_side.json);
  std::vector<core::RunRecord> references = std::move(reference_side.records);

  report::CompareOptions compare_options;
  compare_options.selection =
      core::FileSelection{context.config.bit_accuracy.patterns, context.config.bit_accuracy.ignore};
  auto comparison =
      report::compare(std::move(records), std::move(references), std::move(defs), compare_options);
  comparison.reference = std::move(reference_json);
  comparison.gate = report::parse_gate(options.fail_on).value_or(report::Gate::failed);
  if (optimization) {
    if (comparison.project.empty()) {
      comparison.project = optimization->project;
      comparison.commit = optimization->commit;
    }
    comparison.optimization = std::move(optimization);
  }
  comparison.links = report::ci_links(comparison.commit);
  comparison.links.history = options.history_url.value_or("");
  util::log::debug("compared in {} ms", watch.lap_ms());
  const std::string generated_at = util::rfc3339(std::chrono::system_clock::now());

  // The Markdown, JUnit and OpenMetrics reports are made on a second thread (the JUnit file
  // written there, streamed) while this one writes the JSON report and the HTML page (the larger
  // half); standard output and the log see them in the order of the options either way.
  const bool want_markdown =
      options.md || options.comment || util::env_value("GITHUB_STEP_SUMMARY").has_value();
  std::string markdown;
  std::string junit;
  std::string openmetrics;
  Expected<void> junit_written;
  std::exception_ptr side_failure;
  std::jthread side([&] {
    try {
      if (want_markdown) {
        markdown = report::report_to_markdown(comparison);
      }
      if (options.junit && *options.junit != "-") {
        junit_written = util::write_file_atomic_streamed(
            *options.junit,
            [&](const std::function<void(std::string_view)>& sink) {
              report::write_report_junit(comparison, sink);
            },
            util::Fsync::no);
      } else if (options.junit) {
        junit = report::report_to_junit(comparison);
      }
      if (options.openmetrics) {
        openmetrics = report::report_to_openmetrics(comparison);
      }
    } catch (...) {
      side_failure = std::current_exception();
    }
  });
  const auto join_side = [&] {
    if (side.joinable()) {
      side.join();
    }
    if (side_failure) {
      std::rethrow_exception(std::exchange(side_failure, nullptr));
    }
  };

  // With --html, a JSON report to a file is written by the same pass as the page's data.
  const bool json_with_html = options.json && *options.json != "-" && options.html;
  if (options.json && !json_with_html) {
    const auto produce = [&](const std::function<void(std::string_view)>& sink) {
      report::write_report_json(comparison, generated_at, sink);
    };
    if (*options.json == "-") {
      produce([](std::string_view piece) { std::cout << piece; });
      std::cout.flush();
    } else {
      QA_TRY(util::write_file_atomic_streamed(*options.json, produce, util::Fsync::no));
      util::log::info("wrote {}", *options.json);
    }
  }
  if (options.html) {
    report::HtmlOptions html;
    html.html_path = *options.html;
    html.assets_dir = options.assets.value_or("");
    html.generated_at = generated_at;
    if (json_with_html) {
      html.json_path = *options.json;
    }
    html.fetch = [&store](const util::Hash128& hash, const fs::path& destination) {
      return store.get_blob(hash, destination);
    };
    html.input_side = {context.config.visualizations, context.config.root,
                       context.config.inputs.database};
    QA_TRY(report::write_html_report(comparison, html));
    if (json_with_html) {
      util::log::info("wrote {}", *options.json);
    }
  }
  join_side();
  if (options.md) {
    QA_TRY(write_output(*options.md, markdown));
  }
  if (options.junit && *options.junit != "-") {
    QA_TRY(junit_written);
    util::log::info("wrote {}", *options.junit);
  } else if (options.junit) {
    QA_TRY(write_output(*options.junit, junit));
  }
  if (options.openmetrics) {
    QA_TRY(write_output(*options.openmetrics, openmetrics));
  }
  if (options.html) {
    util::log::info("wrote {}", *options.html);
  }
  util::log::debug("reports written in {} ms", watch.lap_ms());
  if (!options.json && !options.md && !options.junit && !options.openmetrics && !options.html) {
    std::cout << report::report_to_text(comparison);
  }
  QA_TRY(append_step_summary(markdown));
  if (options.comment) {
    update_comment(*options.comment, markdown);
  }
  const int code = report::judge(comparison).passed ? k_exit_ok : k_exit_check_failed;
  // The process ends right after: its records are left to the exit rather than freed one by
  // one (a tenth of a report of 100,000 runs).
  util::bury(std::move(comparison));
  return code;
}

}  // namespace

int qa_report(int argc, char** argv) {
  ReportOptions options;
  auto app = make_app("qa-report", "Compare a commit's results with its reference", k_examples);
  add_common_options(*app, options.common);
  app->add_option("batch", options.batches,
                  "Batches or aliases whose stored runs to report (default: records on stdin)");
  app->add_option("--commit", options.commit,
                  "Report the stored runs of this sha, tag or branch (default HEAD)");
  app->add_option("--reference", options.reference,
                  "auto (default; a batch's own reference: first), or a sha, tag, branch or "
                  "milestone");
  app->add_flag("--require-reference", options.require_reference,
                "Exit 3 when no reference results are found (else: every run is new)");
  app->add_option("--fail-on", options.fail_on,
                  "Exit 1 on: failed runs (default), regression (or failed), never")
      ->check(CLI::IsMember({"failed", "regression", "never"}));
  app->add_option("--max-depth", options.max_depth,
                  "First parents walked to find reference results (default 20)")
      ->check(CLI::Range(0, 10000));
  app->add_option("--json", options.json, "Write the qa.report/1 JSON to this file");
  app->add_option("--md", options.md, "Write the Markdown summary to this file");
  app->add_option("--junit", options.junit, "Write JUnit XML to this file");
  app->add_option("--openmetrics", options.openmetrics,
                  "Write OpenMetrics text (GitLab metrics.txt) to this file");
  app->add_option("--html", options.html, "Write the self-contained HTML report to this file");
  app->add_option("--assets", options.assets,
                  "Folder for the HTML report's images (default: <report>-assets beside it)");
  app->add_option("--comment", options.comment,
                  "Create or update the summary's comment on the merge or pull request: gitlab, "
                  "github (tokens below)")
      ->check(CLI::IsMember({"gitlab", "github"}));
  app->add_option("--optimization", options.optimization,
                  "Report the best evaluation of this qa-batch --optimize --best document "
                  "(qa.optimization/1) and the search");
  auto* history =
      app->add_option("--history", options.history,
                      "Report the metric history of this branch instead (first parents, newest "
                      "first): --json (qa.history/1), --md, --html, else text; BATCH limits it to "
                      "their runs")
          ->type_name("BRANCH");
  app->add_option("--last", options.last,
                  "With --history: the commits with results to report (default 20)")
      ->type_name("N")
      ->check(CLI::Range(1, 10000))
      ->needs(history);
  app->add_option("--history-url", options.history_url,
                  "Where the --history HTML page is published (http(s) URL or path relative to "
                  "the report): --html and --md link to it")
      ->type_name("URL");
  return run_tool("qa-report", *app, &options.common, argc, argv, [&] { return run(options); });
}

}  // namespace qa::cli
