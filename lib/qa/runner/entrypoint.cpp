#include <qa/runner/entrypoint.hpp>

#include <unistd.h>

#include <qa/core/yaml_json.hpp>
#include <qa/core/yaml_schema.hpp>
#include <qa/runner/python_dir.hpp>
#include <qa/util/env.hpp>
#include <qa/util/shell.hpp>
#include <qa/util/strings.hpp>
#include <qa/util/url.hpp>

namespace qa::runner {

namespace fs = std::filesystem;

namespace {

bool has_runner(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / k_entrypoint_runner, ec);
}

// Return whether `name` is an executable file in a folder of PATH.
bool in_path(std::string_view name) {
  const auto path = util::env_value("PATH");
  if (!path) {
    return false;
  }
  for (const auto& dir : util::split(*path, ':')) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

Expected<fs::path> python_module_dir() {
  if (const auto dir = util::env_value("QA_PYTHON_DIR")) {
    if (!has_runner(*dir)) {
      return fail_as(ErrorKind::environment, "QA_PYTHON_DIR {} holds no {}", quote(*dir),
                     k_entrypoint_runner);
    }
    return fs::path(*dir);
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed =
        (exe.parent_path() / ".." / "share" / "qatools" / "python").lexically_normal();
    if (has_runner(installed)) {
      return installed;
    }
  }
  if (has_runner(k_source_python_dir)) {
    return fs::path(k_source_python_dir);
  }
  return fail_as(ErrorKind::environment,
                 "cannot find qatools' Python module ({}) for project.entrypoint: install "
                 "share/qatools/python beside the tools or set QA_PYTHON_DIR",
                 k_entrypoint_runner);
}

Expected<std::string> entrypoint_command(const core::ProjectConfig& config,
                                         const std::vector<std::string>& extra_args) {
  std::error_code ec;
  if (!fs::is_regular_file(config.entrypoint, ec)) {
    return fail_as(ErrorKind::config,
                   "cannot run: the entrypoint {} does not exist (project.entrypoint in {})",
                   quote(config.entrypoint.string()), quote(config.file.string()));
  }
  QA_TRY_ASSIGN(const fs::path dir, python_module_dir());
  if (!in_path("python3")) {
    return fail_as(ErrorKind::environment,
                   "cannot run the entrypoint {}: python3 is not installed (not found in PATH)",
                   quote(config.entrypoint.string()));
  }
  std::string command = "python3 -u " + util::shell_quote((dir / k_entrypoint_runner).string()) +
                        " " + util::shell_quote(config.entrypoint.string());
  for (const auto& arg : extra_args) {
    command += " " + util::shell_quote(arg);
  }
  return command;
}

std::map<std::string, std::string> entrypoint_environment(const ProjectContext& context) {
  std::map<std::string, std::string> env{
      {"QA_PROJECT", context.config.name},
      {"QA_SUBPROJECT",
       context.config.file.parent_path().lexically_relative(context.config.root).generic_string()},
      {"QA_BRANCH", context.commit.branch.value_or("")},
      {"QA_OUTPUTS_COMMIT", context.output_root.string()},
      {"QA_PLATFORM", "linux"},
  };
  if (auto yaml = core::load_yaml_file(context.config.file); yaml) {
    nlohmann::json config = core::yaml_to_json(*yaml);
    // A store URL's credentials stay out of what the entrypoint may print.
    if (config.is_object() && config.contains("storage") && config["storage"].is_string()) {
      config["storage"] = util::redact_url(config["storage"].get<std::string>());
    }
    env["QA_CONFIG_JSON"] = config.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return env;
}

}  // namespace qa::runner
