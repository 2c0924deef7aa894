#include <qa/cli/common.hpp>

#include <cctype>
#include <cstdio>
#include <exception>
#include <iostream>

#include <yaml-cpp/yaml.h>

#include <qa/core/params.hpp>
#include <qa/core/yaml_json.hpp>
#include <qa/core/yaml_schema.hpp>
#include <qa/util/interrupt.hpp>
#include <qa/util/log.hpp>
#include <qa/version.hpp>

namespace qa::cli {

namespace {

std::string lowercase_first(std::string text) {
  if (!text.empty() && text.size() > 1 && std::islower(static_cast<unsigned char>(text[1]))) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

void print_error(std::string_view tool, std::string_view message) {
  std::fprintf(stderr, "%.*s: error: %.*s\n", static_cast<int>(tool.size()), tool.data(),
               static_cast<int>(message.size()), message.data());
}

// Return the map that `value` (a YAML flow map such as `{strength: 0.5}`) holds, for `option`.
Expected<nlohmann::json> parse_yaml_map(const std::string& value, std::string_view option,
                                        std::string_view expected) {
  try {
    YAML::Node node = YAML::Load(value);
    if (auto bounded = core::check_yaml_bounds(node, option); !bounded) {
      return as_kind(ErrorKind::usage, std::move(bounded).error());
    }
    if (auto merged = core::resolve_yaml_merge_keys(node, option); !merged) {
      return as_kind(ErrorKind::usage, std::move(merged).error());
    }
    if (!node.IsMap()) {
      return fail_as(ErrorKind::usage, "invalid {} {}: expected {}", option, quote(value),
                     expected);
    }
    return core::yaml_to_json(node);
  } catch (const YAML::Exception& e) {
    return fail_as(ErrorKind::usage, "invalid {} {}: {}", option, quote(value), e.msg);
  }
}

}  // namespace

std::unique_ptr<CLI::App> make_app(std::string_view tool, std::string_view description,
                                   std::string_view examples) {
  auto app = std::make_unique<CLI::App>(std::string(description), std::string(tool));
  app->set_version_flag("--version", fmt::format("{} (qatools) {}", tool, k_version));
  app->footer(std::string(examples));
  app->get_formatter()->column_width(32);
  return app;
}

void add_common_options(CLI::App& app, CommonOptions& options) {
  app.add_flag("-v,--verbose", options.verbose, "Print debug logs on stderr");
  app.add_option("--store", options.store,
                 "Store location: a folder or http(s)://host/prefix (default: QA_STORE, "
                 "qaboard.yaml's storage, else ~/.cache/qatools)");
  app.add_option("--label", options.label, "Label of the runs (default: default)");
  app.add_option("--config", options.configs,
                 "Configuration name, or a YAML map of parameters such as '{strength: 0.5}' "
                 "(repeatable)")
      ->allow_extra_args(false);
  app.add_option("--param", options.params,
                 "Parameter KEY=VALUE, VALUE read as a YAML scalar, or a map of parameters such "
                 "as '{strength: 0.5}' (repeatable)")
      ->allow_extra_args(false);
}

Expected<nlohmann::json> parse_configs(const std::vector<std::string>& values) {
  nlohmann::json configs = nlohmann::json::array();
  for (const auto& value : values) {
    if (!value.empty() && value.front() == '{') {
      QA_TRY_ASSIGN(auto patch, parse_yaml_map(value, "--config", "a name or a map"));
      configs.push_back(std::move(patch));
    } else if (value.empty()) {
      return fail_as(ErrorKind::usage, "invalid --config \"\": expected a name or a map");
    } else {
      configs.push_back(value);
    }
  }
  return configs;
}

Expected<nlohmann::json> parse_params(const std::vector<std::string>& values) {
  nlohmann::json params = nlohmann::json::object();
  for (const auto& value : values) {
    if (!value.empty() && value.front() == '{') {
      QA_TRY_ASSIGN(const auto patch, parse_yaml_map(value, "--param", "KEY=VALUE or a map"));
      core::deep_merge(params, patch);
    } else {
      QA_TRY(core::apply_param_assignment(params, value));
    }
  }
  return params;
}

Expected<void> check_one_project(const std::vector<core::RunRecord>& records) {
  for (const auto& record : records) {
    if (record.project != records.front().project) {
      return fail(
          "records of two projects in one stream: {} and {}: compare one project at a "
          "time",
          quote(records.front().project), quote(record.project));
    }
  }
  return {};
}

Expected<runner::ProjectContext> project_context(const CommonOptions& options) {
  runner::Overrides overrides;
  overrides.store = options.store;
  return runner::load_project_context(std::filesystem::current_path(), overrides);
}

Expected<runner::PlanRequest> plan_request(const CommonOptions& options,
                                           const std::vector<std::string>& names) {
  runner::PlanRequest request;
  request.names = names;
  QA_TRY_ASSIGN(request.configs, parse_configs(options.configs));
  QA_TRY_ASSIGN(request.params, parse_params(options.params));
  request.label = options.label;
  return request;
}

int run_tool(std::string_view tool, CLI::App& app, const CommonOptions* common, int argc,
             char** argv, const std::function<Expected<int>()>& body) {
  util::log::configure(tool, util::log::Level::info);
  try {
    try {
      app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
      std::cout << app.help();
      return k_exit_ok;
    } catch (const CLI::CallForAllHelp&) {
      std::cout << app.help("", CLI::AppFormatMode::All);
      return k_exit_ok;
    } catch (const CLI::CallForVersion&) {
      std::cout << app.version() << "\n";
      return k_exit_ok;
    } catch (const CLI::ParseError& e) {
      print_error(tool, lowercase_first(e.what()) + " (see --help)");
      return k_exit_usage;
    }
    if (common != nullptr && common->verbose) {
      util::log::configure(tool, util::log::Level::debug);
    }
    auto result = body();
    std::cout.flush();
    if (!result) {
      print_error(tool, result.error().message);
      return exit_code_of(result.error().kind);
    }
    if (util::interrupted()) {
      return k_exit_interrupted;
    }
    return *result;
  } catch (const std::exception& e) {
    print_error(tool, fmt::format("internal error: {}", e.what()));
  } catch (...) {
    print_error(tool, "internal error: unknown exception");
  }
  return k_exit_usage;
}

}  // namespace qa::cli
