#include <qa/core/config.hpp>

#include <qa/core/yaml_json.hpp>
#include <qa/core/yaml_schema.hpp>
#include <qa/util/path.hpp>
#include <qa/util/strings.hpp>

#include <algorithm>
#include <cctype>

namespace qa::core {

namespace fs = std::filesystem;

namespace {

const YamlSchema& config_schema() {
  static const YamlSchema schema = [] {
    const YamlSchema any;
    const YamlSchema open{{}, true};
    YamlSchema s;
    s.keys["project"] =
        YamlSchema{{{"name", any}, {"reference_branch", any}, {"entrypoint", any}}, false};
    s.keys["inputs"] = YamlSchema{
        {{"database", any}, {"globs", any}, {"use_parent_folder", any}, {"batches", any}}, false};
    s.keys["run"] = YamlSchema{{{"command", any},
                                {"postprocess", any},
                                {"timeout", any},
                                {"env", open},
                                {"params", open},
                                {"deps", any}},
                               false};
    s.keys["outputs"] = YamlSchema{{{"metrics", any}}, false};
    s.keys["bit_accuracy"] = YamlSchema{{{"patterns", any}, {"ignore", any}}, false};
    s.keys["storage"] = any;
    s.keys["runners"] = YamlSchema{
        {{"default", any},
         {"local", YamlSchema{{{"concurrency", any}}, false}},
         {"slurm",
          YamlSchema{{{"partition", any}, {"max_parallel", any}, {"extra_args", any}}, false}}},
        false};
    return s;
  }();
  return schema;
}

// Reads typed values out of the parsed file, with errors naming the file, line and key.
class Reader {
 public:
  Reader(const fs::path& file, const YAML::Node& root) : m_file(file), m_root(root) {}

  [[nodiscard]] YAML::Node node(std::string_view section, std::string_view key) const {
    const YAML::Node parent = m_root[std::string(section)];
    if (!parent || !parent.IsMap()) {
      return YAML::Node(YAML::NodeType::Undefined);
    }
    return parent[std::string(key)];
  }

  [[nodiscard]] Expected<std::optional<std::string>> string(const YAML::Node& value,
                                                            std::string_view key) const {
    if (!value || value.IsNull()) {
      return std::nullopt;
    }
    if (!value.IsScalar()) {
      return yaml_error(m_file, value, fmt::format("{} must be a string", quote(key)));
    }
    return value.Scalar();
  }

  [[nodiscard]] Expected<std::vector<std::string>> strings(const YAML::Node& value,
                                                           std::string_view key) const {
    std::vector<std::string> out;
    if (!value || value.IsNull()) {
      return out;
    }
    if (value.IsScalar()) {
      out.push_back(value.Scalar());
      return out;
    }
    if (!value.IsSequence()) {
      return yaml_error(m_file, value, fmt::format("{} must be a string or a list", quote(key)));
    }
    for (const auto& item : value) {
      if (!item.IsScalar()) {
        return yaml_error(m_file, item, fmt::format("{} must hold strings", quote(key)));
      }
      out.push_back(item.Scalar());
    }
    return out;
  }

  [[nodiscard]] Expected<std::optional<double>> number(const YAML::Node& value,
                                                       std::string_view key) const {
    if (!value || value.IsNull()) {
      return std::nullopt;
    }
    const nlohmann::json parsed = value.IsScalar() ? yaml_to_json(value) : nlohmann::json();
    if (!parsed.is_number()) {
      return yaml_error(m_file, value,
                        fmt::format("{} must be a number, not {}", quote(key),
                                    quote(value.IsScalar() ? value.Scalar() : "a collection")));
    }
    return parsed.get<double>();
  }

  [[nodiscard]] Expected<std::optional<bool>> boolean(const YAML::Node& value,
                                                      std::string_view key) const {
    if (!value || value.IsNull()) {
      return std::nullopt;
    }
    const nlohmann::json parsed = value.IsScalar() ? yaml_to_json(value) : nlohmann::json();
    if (!parsed.is_boolean()) {
      return yaml_error(m_file, value, fmt::format("{} must be true or false", quote(key)));
    }
    return parsed.get<bool>();
  }

  // A path relative to the project root, with `~` and `${ENV}` expanded.
  [[nodiscard]] Expected<fs::path> path(const std::string& text, const YAML::Node& at) const {
    auto expanded = util::expand_user_and_env(text);
    if (!expanded) {
      return yaml_error(m_file, at, expanded.error().message);
    }
    const fs::path p(*expanded);
    fs::path resolved = (p.is_absolute() ? p : m_file.parent_path() / p).lexically_normal();
    if (!resolved.has_filename() && resolved.has_parent_path() &&
        resolved != resolved.root_path()) {
      resolved = resolved.parent_path();  // `data/` is the folder `data`
    }
    return resolved;
  }

  [[nodiscard]] const fs::path& file() const { return m_file; }

 private:
  fs::path m_file;
  YAML::Node m_root;
};

// The largest counts and durations a project may ask for: beyond them a value is a typo, and
// converting it would overflow.
constexpr double k_max_count = 100000;
constexpr double k_max_timeout_s = 30 * 24 * 3600;

// Return `value` as a count: -1 when negative, -2 when above k_max_count.
int to_count(double value) {
  if (value < 0) {
    return -1;
  }
  return value > k_max_count ? -2 : static_cast<int>(value);
}

// Return whether `text` starts with a URL scheme and "://" (`https://`, `S3://`, `ftp://`): such a
// storage is a URL, handed to the store as written (an unknown scheme is the store's error), never
// a folder named "ftp:".
bool has_url_scheme(std::string_view text) {
  const std::size_t end = text.find("://");
  if (end == std::string_view::npos || end == 0 ||
      !std::isalpha(static_cast<unsigned char>(text[0]))) {
    return false;
  }
  return std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.';
  });
}

}  // namespace

Expected<void> check_project_name(std::string_view name) {
  if (name.empty()) {
    return fail("invalid project name: empty");
  }
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-' || c == '/';
    if (!ok) {
      return fail("invalid project name {}: use letters, digits, \".\", \"_\", \"-\" and \"/\"",
                  quote(util::escape_bytes(name)));
    }
  }
  auto checked = util::check_relative_path(name);
  if (!checked) {
    return fail("invalid project name {}: empty, \".\" or \"..\" part", quote(name));
  }
  return {};
}

Expected<fs::path> find_config(const fs::path& start) {
  std::error_code ec;
  fs::path dir = fs::absolute(start, ec).lexically_normal();
  const fs::path first = dir;
  while (true) {
    const fs::path candidate = dir / k_config_file_name;
    if (fs::is_regular_file(candidate, ec)) {
      return candidate;
    }
    if (!dir.has_parent_path() || dir.parent_path() == dir) {
      break;
    }
    dir = dir.parent_path();
  }
  return fail_as(ErrorKind::environment, "no {} found in {} or any parent folder",
                 k_config_file_name, quote(first.string()));
}

Expected<ProjectConfig> load_config(const fs::path& file_arg) {
  const fs::path file = fs::absolute(file_arg).lexically_normal();
  QA_TRY_ASSIGN(const YAML::Node root, load_yaml_file(file));
  if (!root.IsNull() && !root.IsMap()) {
    return yaml_error(file, root, "the file must hold a mapping of keys");
  }
  QA_TRY(check_yaml_keys(root, config_schema(), file));
  for (const auto& section : {"project", "inputs", "run", "outputs", "bit_accuracy", "runners"}) {
    const YAML::Node value = root[section];
    if (value && !value.IsNull() && !value.IsMap()) {
      return yaml_error(file, value, fmt::format("{} must be a mapping", quote(section)));
    }
  }
  for (const auto& runner : {"local", "slurm"}) {
    const YAML::Node runners = root["runners"];
    const YAML::Node value = runners && runners.IsMap() ? runners[runner] : YAML::Node();
    if (value && !value.IsNull() && !value.IsMap()) {
      return yaml_error(file, value, fmt::format("\"runners.{}\" must be a mapping", runner));
    }
  }

  const Reader r(file, root);
  ProjectConfig config;
  config.file = file;
  config.root = file.parent_path();
  config.inputs.database = config.root;

  const YAML::Node name_node =
      root.IsNull() ? YAML::Node(YAML::NodeType::Undefined) : r.node("project", "name");
  QA_TRY_ASSIGN(auto name, r.string(name_node, "project.name"));
  config.name = name.value_or(config.root.filename().string());
  if (auto valid = check_project_name(config.name); !valid) {
    return yaml_error(file, name_node,
                      name ? valid.error().message
                           : valid.error().message + " (the folder's name; set project.name)");
  }
  if (root.IsNull()) {
    return config;
  }
  QA_TRY_ASSIGN(auto reference,
                r.string(r.node("project", "reference_branch"), "project.reference_branch"));
  config.reference_branch = reference.value_or(config.reference_branch);
  const YAML::Node entrypoint = r.node("project", "entrypoint");
  QA_TRY_ASSIGN(auto entrypoint_text, r.string(entrypoint, "project.entrypoint"));
  if (entrypoint_text && !entrypoint_text->empty()) {
    QA_TRY_ASSIGN(config.entrypoint, r.path(*entrypoint_text, entrypoint));
  }

  const YAML::Node database = r.node("inputs", "database");
  QA_TRY_ASSIGN(auto database_text, r.string(database, "inputs.database"));
  if (database_text) {
    QA_TRY_ASSIGN(config.inputs.database, r.path(*database_text, database));
  }
  QA_TRY_ASSIGN(config.inputs.globs, r.strings(r.node("inputs", "globs"), "inputs.globs"));
  QA_TRY_ASSIGN(auto use_parent,
                r.boolean(r.node("inputs", "use_parent_folder"), "inputs.use_parent_folder"));
  config.inputs.use_parent_folder = use_parent.value_or(false);
  const YAML::Node batches = r.node("inputs", "batches");
  QA_TRY_ASSIGN(auto batch_files, r.strings(batches, "inputs.batches"));
  for (const auto& batch_file : batch_files) {
    QA_TRY_ASSIGN(auto batch_path, r.path(batch_file, batches));
    config.inputs.batches.push_back(batch_path);
  }

  QA_TRY_ASSIGN(auto command, r.string(r.node("run", "command"), "run.command"));
  config.run.command = command.value_or("");
  QA_TRY_ASSIGN(auto postprocess, r.string(r.node("run", "postprocess"), "run.postprocess"));
  config.run.postprocess = postprocess.value_or("");
  const YAML::Node timeout = r.node("run", "timeout");
  QA_TRY_ASSIGN(config.run.timeout_s, r.number(timeout, "run.timeout"));
  if (config.run.timeout_s &&
      !(*config.run.timeout_s > 0 && *config.run.timeout_s <= k_max_timeout_s)) {
    return yaml_error(file, timeout,
                      fmt::format("\"run.timeout\" must be a positive number of seconds, at most "
                                  "{:.0f} (30 days)",
                                  k_max_timeout_s));
  }
  if (const YAML::Node env = r.node("run", "env"); env && !env.IsNull()) {
    if (!env.IsMap()) {
      return yaml_error(file, env, "\"run.env\" must be a mapping of variable names to values");
    }
    for (const auto& item : env) {
      if (!item.second.IsScalar()) {
        return yaml_error(file, item.second,
                          fmt::format("\"run.env.{}\" must be a string", item.first.Scalar()));
      }
      config.run.env[item.first.Scalar()] = item.second.Scalar();
    }
  }
  if (const YAML::Node params = r.node("run", "params"); params && !params.IsNull()) {
    if (!params.IsMap()) {
      return yaml_error(file, params, "\"run.params\" must be a mapping of parameters");
    }
    config.run.params = yaml_to_json(params);
  }
  // Keys that are part of the format but whose feature is not built yet are refused rather
  // than accepted and ignored: a key that loads must do what it says.
  if (const YAML::Node deps = r.node("run", "deps"); deps && !deps.IsNull()) {
    return yaml_error(file, deps,
                      "\"run.deps\" (the result cache) is not built yet: remove it; runs are "
                      "always run");
  }

  const YAML::Node metrics = r.node("outputs", "metrics");
  QA_TRY_ASSIGN(auto metrics_text, r.string(metrics, "outputs.metrics"));
  if (metrics_text) {
    QA_TRY_ASSIGN(config.metrics_file, r.path(*metrics_text, metrics));
  }

  const YAML::Node patterns = r.node("bit_accuracy", "patterns");
  if (patterns && !patterns.IsNull()) {
    QA_TRY_ASSIGN(config.bit_accuracy.patterns, r.strings(patterns, "bit_accuracy.patterns"));
  }
  QA_TRY_ASSIGN(config.bit_accuracy.ignore,
                r.strings(r.node("bit_accuracy", "ignore"), "bit_accuracy.ignore"));

  const YAML::Node storage = root["storage"];
  QA_TRY_ASSIGN(auto storage_text, r.string(storage, "storage"));
  if (storage_text) {
    if (has_url_scheme(*storage_text)) {
      auto expanded = util::expand_user_and_env(*storage_text);
      if (!expanded) {
        return yaml_error(file, storage, expanded.error().message);
      }
      config.storage = *expanded;
    } else {
      QA_TRY_ASSIGN(auto storage_path, r.path(*storage_text, storage));
      config.storage = storage_path.string();
    }
  }

  const YAML::Node runners = root["runners"];
  QA_TRY_ASSIGN(auto default_runner, r.string(r.node("runners", "default"), "runners.default"));
  config.runners.default_runner = default_runner.value_or("local");
  if (config.runners.default_runner == "slurm") {
    return yaml_error(file, r.node("runners", "default"),
                      "the slurm runner is not built yet: use \"runners.default: local\" (the "
                      "\"runners.slurm\" options are kept for when it lands)");
  }
  if (config.runners.default_runner != "local") {
    return yaml_error(
        file, r.node("runners", "default"),
        fmt::format("unknown runner {} (use \"local\")", quote(config.runners.default_runner)));
  }
  if (runners && runners["local"] && runners["local"].IsMap()) {
    const YAML::Node concurrency = runners["local"]["concurrency"];
    QA_TRY_ASSIGN(auto value, r.number(concurrency, "runners.local.concurrency"));
    config.runners.local_concurrency = to_count(value.value_or(0));
    if (config.runners.local_concurrency == -1) {
      return yaml_error(file, concurrency, "\"runners.local.concurrency\" must be positive");
    }
    if (config.runners.local_concurrency == -2) {
      return yaml_error(
          file, concurrency,
          fmt::format("\"runners.local.concurrency\" must be at most {:.0f}", k_max_count));
    }
  }
  if (runners && runners["slurm"] && runners["slurm"].IsMap()) {
    const YAML::Node slurm = runners["slurm"];
    QA_TRY_ASSIGN(auto partition, r.string(slurm["partition"], "runners.slurm.partition"));
    config.runners.slurm_partition = partition.value_or("");
    QA_TRY_ASSIGN(auto max_parallel, r.number(slurm["max_parallel"], "runners.slurm.max_parallel"));
    config.runners.slurm_max_parallel = to_count(max_parallel.value_or(0));
    if (config.runners.slurm_max_parallel < 0) {
      return yaml_error(
          file, slurm["max_parallel"],
          fmt::format("\"runners.slurm.max_parallel\" must be from 0 to {:.0f}", k_max_count));
    }
    QA_TRY_ASSIGN(config.runners.slurm_extra_args,
                  r.strings(slurm["extra_args"], "runners.slurm.extra_args"));
  }
  return config;
}

}  // namespace qa::core
