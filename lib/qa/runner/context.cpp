#include <qa/runner/context.hpp>

#include <qa/core/params.hpp>
#include <qa/core/run_key.hpp>
#include <qa/store/store.hpp>
#include <qa/util/env.hpp>
#include <qa/util/log.hpp>
#include <qa/util/path.hpp>
#include <qa/util/strings.hpp>

namespace qa::runner {

namespace fs = std::filesystem;

namespace {

// A local store given as a relative path is relative to the current folder, as any path argument.
std::string absolute_location(const std::string& location) {
  if (location.find("://") != std::string::npos) {
    return location;
  }
  return fs::absolute(fs::path(location)).lexically_normal().string();
}

}  // namespace

Expected<ProjectContext> load_project_context(const fs::path& cwd, const Overrides& overrides) {
  ProjectContext context;
  fs::path config_file;
  if (overrides.config) {
    config_file = *overrides.config;
  } else {
    QA_TRY_ASSIGN(config_file, core::find_config(cwd));
  }
  QA_TRY_ASSIGN(context.config, core::load_config(config_file));
  for (const auto& notice : context.config.notices) {
    util::log::warning("{}", notice);
  }
  // QA-Board's environment: QA_DATABASE is its --database (relative to the current folder).
  if (auto database = util::env_value("QA_DATABASE")) {
    context.config.inputs.database = fs::absolute(fs::path(*database)).lexically_normal();
  }
  QA_TRY_ASSIGN(const auto repository, git::Repository::discover(context.config.root));
  QA_TRY_ASSIGN(context.commit, repository.current_commit());
  if (auto valid = core::check_commit_key(context.commit.sha); !valid) {
    return fail("invalid commit sha {} (from CI_COMMIT_SHA or GITHUB_SHA?)",
                quote(context.commit.sha));
  }

  if (overrides.store) {
    context.store_location = absolute_location(*overrides.store);
  } else if (auto from_env = util::env_value("QA_STORE")) {
    context.store_location = absolute_location(*from_env);
  } else if (auto qaboard_env = util::env_value("QA_STORAGE")) {  // QA-Board's name
    context.store_location = absolute_location(*qaboard_env);
  } else if (!context.config.storage.empty()) {
    context.store_location = context.config.storage;
  } else {
    QA_TRY_ASSIGN(const auto location, store::default_store_location());
    context.store_location = location.string();
  }

  if (auto root = util::env_value("QA_OUTPUT_ROOT")) {
    context.output_root = fs::absolute(fs::path(*root)).lexically_normal();
  } else {
    context.output_root = context.config.root / "output";
  }
  return context;
}

Expected<RunSpec> make_run_spec(const ProjectContext& context, std::string_view input_arg,
                                const nlohmann::json& configs,
                                const nlohmann::json& param_overrides, std::string_view label,
                                const std::optional<fs::path>& output_dir) {
  QA_TRY_ASSIGN(const auto settings, core::input_settings(context.config.inputs));
  fs::path database = settings.database;
  if (input_arg.empty()) {
    return fail("no input given (pass --input PATH, relative to the database {})",
                quote(database.string()));
  }
  const fs::path arg{std::string(input_arg)};
  const fs::path input_path = (arg.is_absolute() ? arg : database / arg).lexically_normal();
  if (arg.is_absolute() && !util::is_within(database, input_path)) {
    database = "/";  // as QA-Board: an absolute input outside the database is relative to `/`
  }
  std::error_code ec;
  if (!fs::exists(input_path, ec)) {
    return fail("input {} not found in the database {}", quote(input_arg),
                quote(database.string()));
  }
  // Relative to the database, the database itself is "." (whether or not either path ends
  // with a separator): it is no input.
  const std::string rel =
      input_path.lexically_relative(database.lexically_normal()).generic_string();
  if (!util::is_within(database, input_path) || rel.empty() || rel == "." || rel == "./") {
    return fail("input {} is not inside the database {}", quote(input_arg),
                quote(database.string()));
  }
  QA_TRY(core::check_label(label));
  // Without --config, the default configurations of qaboard.yaml (inputs.configs).
  const nlohmann::json& run_configs =
      configs.is_array() && !configs.empty() ? configs : settings.configs;
  QA_TRY_ASSIGN(auto spec,
                make_batch_run_spec(context, database, rel, run_configs, param_overrides, label));
  if (output_dir) {
    spec.output_dir = fs::absolute(*output_dir).lexically_normal();
  }
  return spec;
}

Expected<RunSpec> make_batch_run_spec(const ProjectContext& context, const fs::path& database,
                                      const std::string& rel_input_path,
                                      const nlohmann::json& configs,
                                      const nlohmann::json& param_patches, std::string_view label) {
  QA_TRY(core::check_label(label));
  if (!util::is_utf8(rel_input_path)) {
    return fail("input {} in {}: its name is not UTF-8 (rename the file)",
                quote(util::escape_bytes(rel_input_path)), quote(database.string()));
  }
  RunSpec spec;
  spec.input_path = (database / rel_input_path).lexically_normal();
  spec.rel_input_path = rel_input_path;
  const fs::path project_database = context.config.inputs.database.lexically_normal();
  if (database.lexically_normal() == project_database) {
    spec.input = rel_input_path;
  } else if (util::is_within(project_database, spec.input_path)) {
    spec.input = spec.input_path.lexically_relative(project_database).generic_string();
  } else if (util::is_within(context.config.root, spec.input_path)) {
    spec.input = spec.input_path.lexically_relative(context.config.root).generic_string();
  } else {
    spec.input = spec.input_path.relative_path().generic_string();
  }
  spec.configs = configs.is_array() ? configs : nlohmann::json::array();
  spec.params = core::merge_params(context.config.run.params, spec.configs, param_patches);
  spec.label = std::string(label);
  // The key names what the run asked for (configurations, sweeps, --param), not run.params:
  // a change of a default parameter must compare with the reference's run of the same key.
  const nlohmann::json asked =
      core::merge_params(nlohmann::json::object(), spec.configs, param_patches);
  spec.key = core::run_key(spec.label, spec.configs, asked, spec.input);
  spec.output_dir = context.output_root / fs::path(spec.key);
  return spec;
}

}  // namespace qa::runner
