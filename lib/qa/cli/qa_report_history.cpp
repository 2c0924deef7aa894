#include <qa/cli/qa_report_history.hpp>

#include <chrono>
#include <iostream>

#include <qa/core/metric_defs.hpp>
#include <qa/report/history.hpp>
#include <qa/report/history_html.hpp>
#include <qa/report/report_json.hpp>
#include <qa/runner/history.hpp>
#include <qa/store/store.hpp>
#include <qa/util/atomic_file.hpp>
#include <qa/util/log.hpp>
#include <qa/util/time.hpp>

namespace qa::cli {

namespace {

Expected<void> write_to(const std::string& target, std::string_view content) {
  if (target == "-") {
    std::cout << content;
    std::cout.flush();
    return {};
  }
  QA_TRY(util::write_file_atomic(target, content, util::Fsync::no));
  util::log::info("wrote {}", target);
  return {};
}

std::string_view source_name(runner::CommitSource source) {
  return source == runner::CommitSource::git ? "git" : "branch_index";
}

}  // namespace

Expected<int> run_history(const CommonOptions& common, const std::vector<std::string>& batches,
                          const HistoryOptions& options) {
  QA_TRY_ASSIGN(const auto context, project_context(common));
  QA_TRY_ASSIGN(auto store, store::Store::open(context.store_location, store::Access::read_only));
  core::MetricDefs defs;
  if (!context.config.metrics_file.empty()) {
    std::vector<std::string> notices;
    QA_TRY_ASSIGN(defs, core::load_metric_defs(context.config.metrics_file, &notices));
    for (const auto& notice : notices) {
      util::log::warning("{}", notice);
    }
  }
  runner::HistoryQuery query;
  query.branch = options.branch;
  query.last = options.last;
  QA_TRY_ASSIGN(query.plan, plan_request(common, batches));
  QA_TRY_ASSIGN(auto branch_history, runner::branch_history(context, store, query));

  std::vector<report::HistoryInput> inputs;
  for (auto& entry : branch_history.entries) {
    inputs.push_back(report::HistoryInput{
        std::move(entry.commit.sha), std::move(entry.commit.subject), std::move(entry.commit.date),
        std::string(source_name(entry.commit.source)), std::move(entry.records)});
  }
  const auto history =
      report::make_history(context.config.name, options.branch, batches, std::move(inputs), defs);
  if (history.with_results == 0) {
    util::log::warning("no results on branch {} in the {} commits examined", quote(options.branch),
                       branch_history.examined);
  }
  const std::string generated_at = util::rfc3339(std::chrono::system_clock::now());
  if (options.json) {
    QA_TRY(write_to(*options.json,
                    report::dump_json(report::history_to_json(history, generated_at)) + "\n"));
  }
  if (options.md) {
    QA_TRY(write_to(*options.md,
                    report::history_to_markdown(history, options.history_url.value_or(""))));
  }
  if (options.html) {
    QA_TRY(report::write_history_html(history, *options.html, generated_at));
    util::log::info("wrote {}", *options.html);
  }
  if (!options.json && !options.md && !options.html) {
    std::cout << report::history_to_text(history);
  }
  return k_exit_ok;
}

}  // namespace qa::cli
