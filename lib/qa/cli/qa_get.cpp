#include <iostream>

#include <qa/cli/common.hpp>
#include <qa/cli/tools.hpp>
#include <qa/core/manifest.hpp>
#include <qa/core/run_key.hpp>
#include <qa/core/run_record_writer.hpp>
#include <qa/runner/output_dir.hpp>
#include <qa/runner/plan.hpp>
#include <qa/runner/records.hpp>
#include <qa/runner/reference.hpp>
#include <qa/store/store.hpp>
#include <qa/util/log.hpp>
#include <qa/util/path.hpp>
#include <qa/util/strings.hpp>
#include <qa/util/url.hpp>

namespace qa::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_examples = R"(Examples:
  qa-get commit                          the commit results are recorded under
  qa-get reference                       the reference commit (why: on stderr; --json: both)
  qa-get output_dir --input a.png        where qa-run writes the outputs of a.png
  qa-get --input a.png --reference --to ref/
                                         materialize the reference run's outputs in ref/
  qa-get --input a.png --commit main     ... those of the branch main
  qa-get --input a.png --manifest        the run's manifest, for `xxhsum -c`
  qa-get runs --commit HEAD~1 smoke      the stored records of a batch, as JSON Lines

Variables: commit, branch, project, store, reference, output_dir. Exit codes: 0 success,
2 usage, configuration or environment error (e.g. no such run), 3 reference results missing.)";

const std::vector<std::string> k_variables{"commit",    "branch",     "project", "store",
                                           "reference", "output_dir", "runs"};

struct GetOptions {
  CommonOptions common;
  std::vector<std::string> words;  // VARIABLE [BATCH]... or BATCH...
  std::string input;
  std::optional<std::string> key;
  std::optional<std::string> commit;
  std::optional<std::string> reference;  // "" for a bare --reference: auto
  std::optional<std::string> to;
  bool manifest = false;
  bool json = false;
  int max_depth = 20;
};

// The runs the options address: by --key, or the runs of --input in the plan of the batches
// given (one run built from --input, --label, --config and --param when none is given).
Expected<std::vector<runner::RunSpec>> addressed_runs(const runner::ProjectContext& context,
                                                      const GetOptions& options,
                                                      const std::vector<std::string>& batches) {
  if (options.key) {
    QA_TRY(core::check_run_key(*options.key));
    runner::RunSpec spec;
    spec.key = *options.key;
    spec.input = options.input;
    spec.output_dir = context.output_root / fs::path(*options.key);
    return std::vector<runner::RunSpec>{spec};
  }
  QA_TRY_ASSIGN(const auto request, plan_request(options.common, batches));
  if (batches.empty()) {
    QA_TRY_ASSIGN(auto spec, runner::make_run_spec(context, options.input, request.configs,
                                                   request.params, request.label, std::nullopt));
    return std::vector<runner::RunSpec>{spec};
  }
  QA_TRY_ASSIGN(const auto plan, runner::make_plan(context, request));
  std::vector<runner::RunSpec> matching;
  for (const auto& spec : plan) {
    if (options.input.empty() || spec.input == options.input ||
        spec.input_path == fs::absolute(options.input).lexically_normal()) {
      matching.push_back(spec);
    }
  }
  return matching;
}

Expected<runner::RunSpec> single_run(const runner::ProjectContext& context,
                                     const GetOptions& options,
                                     const std::vector<std::string>& batches) {
  QA_TRY_ASSIGN(const auto runs, addressed_runs(context, options, batches));
  if (runs.empty()) {
    return fail("no run of input {} in {}", quote(options.input), util::join(batches, " "));
  }
  if (runs.size() > 1) {
    std::vector<std::string> keys;
    for (const auto& run : runs) {
      keys.push_back(run.key);
    }
    return fail("{} runs of input {} in the plan; choose one with --key: {}", runs.size(),
                quote(options.input), util::join(keys, ", "));
  }
  return runs.front();
}

// The commit to read: --commit, else the reference (--reference [REF]), else the current one.
Expected<std::string> target_commit(const runner::ProjectContext& context, store::Store& store,
                                    const GetOptions& options,
                                    const std::vector<std::string>& keys) {
  if (options.commit && options.reference) {
    return fail("--commit and --reference are exclusive");
  }
  if (options.reference) {
    runner::ReferenceRequest request;
    request.ref = options.reference->empty() ? "auto" : *options.reference;
    request.keys = keys;
    request.max_depth = options.max_depth;
    QA_TRY_ASSIGN(const auto choice, runner::resolve_reference(context, store, request));
    util::log::info("reference {}: {}", choice.commit.substr(0, 12), choice.reason);
    return choice.commit;
  }
  return runner::resolve_commit(context, store, options.commit.value_or(""));
}

Expected<int> materialize(const runner::ProjectContext& context, store::Store& store,
                          const GetOptions& options, const std::vector<std::string>& batches) {
  QA_TRY_ASSIGN(const auto spec, single_run(context, options, batches));
  QA_TRY_ASSIGN(const std::string commit, target_commit(context, store, options, {spec.key}));
  QA_TRY_ASSIGN(const auto record, store.get_run(context.config.name, commit, spec.key));
  if (!record) {
    return fail("no run {} at commit {} in store {}", quote(spec.key), commit.substr(0, 12),
                quote(store.describe()));
  }
  if (options.manifest) {
    std::cout << core::to_xxhsum_format(record->files);
    return k_exit_ok;
  }
  const fs::path dir =
      options.to ? fs::absolute(*options.to).lexically_normal()
                 : context.output_root / "commits" / commit.substr(0, 12) / fs::path(spec.key);
  QA_TRY(runner::prepare_output_root(context.output_root, dir));
  QA_TRY_ASSIGN(const auto lock,
                runner::prepare_output_dir(dir, runner::KeepPrevious::no, context.config.root));
  std::vector<store::BlobDownload> downloads;
  for (const auto& [rel, entry] : record->files) {
    QA_TRY_ASSIGN(const auto path, util::safe_join(dir, rel));
    downloads.push_back(store::BlobDownload{entry.hash, path, entry.size});
  }
  QA_TRY(store.get_blobs(downloads));
  std::cout << dir.string() << "\n";
  return k_exit_ok;
}

Expected<int> print_runs(const runner::ProjectContext& context, store::Store& store,
                         const GetOptions& options, const std::vector<std::string>& batches) {
  runner::RecordQuery query;
  query.tool = "qa-get runs";
  QA_TRY_ASSIGN(query.plan, plan_request(options.common, batches));
  QA_TRY_ASSIGN(query.commit, target_commit(context, store, options, {}));
  query.piped = runner::PipedRecords::ignored;
  QA_TRY_ASSIGN(const auto selected, runner::select_records(context, store, query));
  std::string out;
  for (const auto& record : selected.records) {
    core::append_json_line(record, out);
    out += '\n';
    if (out.size() >= (1U << 20)) {
      std::cout << out;
      out.clear();
    }
  }
  std::cout << out;
  return k_exit_ok;
}

Expected<int> run(GetOptions& options) {
  QA_TRY_ASSIGN(const auto context, project_context(options.common));
  std::string variable;
  std::vector<std::string> batches = options.words;
  if (!batches.empty() &&
      std::find(k_variables.begin(), k_variables.end(), batches.front()) != k_variables.end()) {
    variable = batches.front();
    batches.erase(batches.begin());
  }
  if (variable.empty() && options.input.empty() && !options.key) {
    const std::string word = batches.empty() ? std::string() : batches.front();
    return fail("nothing to get{}: name a variable ({}) or pass --input",
                word.empty() ? std::string()
                             : fmt::format(" for {}{}", quote(word),
                                           util::suggestion_suffix(word, k_variables)),
                util::join(k_variables, ", "));
  }
  if (variable == "commit") {
    std::cout << context.commit.key() << "\n";
  } else if (variable == "branch") {
    std::cout << context.commit.branch.value_or("") << "\n";
  } else if (variable == "project") {
    std::cout << context.config.name << "\n";
  } else if (variable == "store") {
    std::cout << util::redact_url(context.store_location) << "\n";
  } else if (variable == "output_dir") {
    if (options.input.empty() && !options.key) {
      return fail("output_dir needs --input (or --key)");
    }
    QA_TRY_ASSIGN(const auto spec, single_run(context, options, batches));
    std::cout << spec.output_dir.string() << "\n";
  } else {
    QA_TRY_ASSIGN(auto store, store::Store::open(context.store_location, store::Access::read_only));
    if (variable == "runs") {
      return print_runs(context, store, options, batches);
    }
    if (variable == "reference") {
      runner::ReferenceRequest request;
      request.ref = options.reference && !options.reference->empty() ? *options.reference : "auto";
      request.max_depth = options.max_depth;
      QA_TRY_ASSIGN(const auto choice, runner::resolve_reference(context, store, request));
      if (options.json) {
        std::cout << runner::to_json(choice).dump() << "\n";
      } else {
        util::log::info("{}", choice.reason);
        std::cout << choice.commit << "\n";
      }
      return k_exit_ok;
    }
    return materialize(context, store, options, batches);
  }
  return k_exit_ok;
}

}  // namespace

int qa_get(int argc, char** argv) {
  GetOptions options;
  auto app = make_app("qa-get", "Resolve commits and references, fetch stored outputs", k_examples);
  add_common_options(*app, options.common);
  app->add_option("variable", options.words,
                  "commit, branch, project, store, reference, output_dir or runs; then batches");
  app->add_option("-i,--input", options.input, "Input path, relative to inputs.database");
  app->add_option("--key", options.key, "The run's key, when the plan holds several runs");
  app->add_option("--commit", options.commit, "A sha, tag or branch (default: HEAD)");
  app->add_option("--reference", options.reference,
                  "The reference (auto when given without a value)")
      ->expected(0, 1)
      ->default_str("");
  app->add_option("--to", options.to, "Folder to write the outputs into");
  app->add_flag("--manifest", options.manifest,
                "Print the run's manifest (xxhsum -H2 format) instead of its files");
  app->add_flag("--json", options.json, "With reference: print the choice as JSON");
  app->add_option("--max-depth", options.max_depth,
                  "First parents walked to find reference results (default 20)")
      ->check(CLI::Range(0, 10000));
  return run_tool("qa-get", *app, &options.common, argc, argv, [&] { return run(options); });
}

}  // namespace qa::cli
