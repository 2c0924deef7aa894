#include <qa/core/config.hpp>

#include <qa/core/params.hpp>
#include <qa/core/path_spec.hpp>
#include <qa/core/slurm_options.hpp>
#include <qa/core/yaml_json.hpp>
#include <qa/core/yaml_schema.hpp>
#include <qa/util/path.hpp>
#include <qa/util/strings.hpp>

#include <algorithm>
#include <cctype>
#include <set>

namespace qa::core {

namespace fs = std::filesystem;

namespace {

// QA-Board's keys that qatools has no use for, and why (SPEC section 2).
constexpr std::string_view k_web_ui = "QA-Board's web UI";
constexpr std::string_view k_artifacts = "QA-Board's artifacts: qatools runs from the checkout";
constexpr std::string_view k_other_runner = "QA-Board's LSF, Celery and Jenkins runners";

const YamlSchema& config_schema() {
  static const YamlSchema schema = [] {
    const YamlSchema any;
    const YamlSchema open{{}, true, {}};
    const YamlSchema web_ui = ignored_key(k_web_ui);
    YamlSchema s;
    s.keys["root"] = any;
    s.keys["project"] = YamlSchema{{{"name", any},
                                    {"reference_branch", any},
                                    {"entrypoint", any},
                                    {"url", web_ui},
                                    {"type", web_ui},
                                    {"remote_type", web_ui},
                                    {"avatar_url", web_ui},
                                    {"description", web_ui},
                                    {"timezone", web_ui},
                                    {"milestones", ignored_key("name them with qa-store tag NAME COMMIT, then --reference NAME")}},
                                   false,
                                   {}};
    YamlSchema types;
    types.open = true;  // type names are the user's; each is checked when it is read
    s.keys["inputs"] =
        YamlSchema{{{"database", any},
                    {"globs", any},
                    {"glob", any},
                    {"use_parent_folder", any},
                    {"batches", any},
                    {"groups", any},
                    {"configs", any},
                    {"configurations", any},
                    {"configuration", any},
                    {"types", types},
                    {"allow_duplicate_batches",
                     ignored_key("a batch defined in several files is the last file's")},
                    {"metadata", ignored_key("QA-Board's input metadata database")},
                    {"platforms", web_ui}},
                   false,
                   {}};
    s.keys["run"] = YamlSchema{{{"command", any},
                                {"postprocess", any},
                                {"timeout", any},
                                {"env", open},
                                {"params", open},
                                {"deps", any}},
                               false,
                               {}};
    s.keys["outputs"] =
        YamlSchema{{{"metrics", any},
                    {"visualizations", any},
                    {"detailed_views", web_ui},
                    {"style", web_ui},
                    {"controls", web_ui},
                    {"default_tab_details", web_ui},
                    {"action_on_existing", ignored_key("use --on-existing")},
                    {"action_on_pending", ignored_key("use --on-existing")},
                    {"output_dir_uses_database", ignored_key("outputs go to output/<run key>")}},
                   false,
                   {}};
    const YamlSchema ci_status = ignored_key("QA-Board's reading of the CI's status");
    s.keys["bit_accuracy"] =
        YamlSchema{{{"patterns", any},
                    {"ignore", any},
                    {"plaintext", ignored_key("files are compared byte for byte")},
                    {"binary", ignored_key("files are compared byte for byte")},
                    {"on_reference_failed_ci", ci_status},
                    {"max_parents_depth", ci_status},
                    {"failed_ci", ci_status},
                    {"failed_ci_job_name", ci_status}},
                   false,
                   {}};
    s.keys["storage"] = any;
    s.keys["artifacts"] = ignored_key(k_artifacts);
    s.keys["integrations"] = web_ui;
    s.keys["ci_root"] = ignored_key("use storage");
    s.keys["secrets"] = ignored_key("QA-Board's server settings");
    YamlSchema runners{{{"default", any},
                        {"local", YamlSchema{{{"concurrency", any}}, false, {}}},
                        {"slurm", YamlSchema{}}},
                       false,
                       {}};
    for (const auto key : k_slurm_option_keys) {
      runners.keys["slurm"].keys[std::string(key)] = any;
    }
    for (const char* other : {"lsf", "celery", "jenkins", "jenkins_windows", "windows"}) {
      runners.keys[other] = ignored_key(k_other_runner);
    }
    s.keys["runners"] = runners;
    s.keys["lsf"] = ignored_key(k_other_runner);
    return s;
  }();
  return schema;
}

// Reads typed values out of the parsed file, with errors naming the file, line and key.
class Reader {
 public:
  // `file` is named in errors; relative paths are relative to `base`, the project root.
  Reader(const fs::path& file, const fs::path& base, const YAML::Node& root)
      : m_file(file), m_base(base), m_root(root) {}

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
    fs::path resolved = (p.is_absolute() ? p : m_base / p).lexically_normal();
    if (!resolved.has_filename() && resolved.has_parent_path() &&
        resolved != resolved.root_path()) {
      resolved = resolved.parent_path();  // `data/` is the folder `data`
    }
    return resolved;
  }

  [[nodiscard]] const fs::path& file() const { return m_file; }

 private:
  fs::path m_file;
  fs::path m_base;
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

namespace {

// The parts of a (sub)project's configuration: its qaboard.yaml files, the project's first.
struct ConfigFile {
  fs::path file;
  YAML::Node root;
};

// Return the merge of `sub` over `base` as QA-Board's: maps merged key by key, deeply; any other
// value of `sub` replaces `base`'s, except that the string "super" in a list of `sub` stands
// for the items of `base`'s list. The values are the files' own nodes (not copies), so errors
// still name their lines; neither input is changed.
YAML::Node merge_config(const YAML::Node& base, const YAML::Node& sub) {
  if (sub.IsMap() && base.IsMap()) {
    YAML::Node merged(YAML::NodeType::Map);
    for (const auto& item : base) {
      merged[item.first.Scalar()] = item.second;
    }
    for (const auto& item : sub) {
      const std::string key = item.first.Scalar();
      const YAML::Node inherited = base[key];
      merged[key] = inherited ? merge_config(inherited, item.second) : item.second;
    }
    return merged;
  }
  if (sub.IsSequence() && std::any_of(sub.begin(), sub.end(), [](const YAML::Node& item) {
        return item.IsScalar() && item.Scalar() == "super";
      })) {
    YAML::Node list(YAML::NodeType::Sequence);
    for (const auto& item : sub) {
      if (item.IsScalar() && item.Scalar() == "super") {
        if (base.IsSequence()) {
          for (const auto& inherited : base) {
            list.push_back(inherited);
          }
        }
      } else {
        list.push_back(item);
      }
    }
    return list;
  }
  return sub;
}

// Read `file` and check its keys, appending its notices to `notices`.
Expected<ConfigFile> read_config_file(const fs::path& file, std::vector<YamlNotice>& notices) {
  QA_TRY_ASSIGN(const YAML::Node root, load_yaml_file(file));
  if (!root.IsNull() && !root.IsMap()) {
    return yaml_error(file, root, "the file must hold a mapping of keys");
  }
  QA_TRY(check_yaml_keys(root, config_schema(), file, {}, &notices));
  for (const auto& section : {"project", "inputs", "run", "outputs", "bit_accuracy", "runners"}) {
    const YAML::Node value = root.IsMap() ? root[section] : YAML::Node();
    if (value && !value.IsNull() && !value.IsMap()) {
      return yaml_error(file, value, fmt::format("{} must be a mapping", quote(section)));
    }
  }
  const YAML::Node runners = root.IsMap() ? root["runners"] : YAML::Node();
  for (const auto& runner : {"local", "slurm"}) {
    const YAML::Node value = runners && runners.IsMap() ? runners[runner] : YAML::Node();
    if (value && !value.IsNull() && !value.IsMap()) {
      return yaml_error(file, value, fmt::format("\"runners.{}\" must be a mapping", runner));
    }
  }
  if (root.IsMap() && root["root"]) {
    const nlohmann::json flag = yaml_to_json(root["root"]);
    if (!flag.is_boolean()) {
      return yaml_error(file, root["root"], "\"root\" must be true or false");
    }
  }
  return ConfigFile{file, root.IsNull() ? YAML::Node(YAML::NodeType::Map) : root};
}

// Return `file` and the qaboard.yaml files of its parent projects (find_config), the uppermost
// first.
Expected<std::vector<ConfigFile>> read_config_chain(const fs::path& file,
                                                    std::vector<YamlNotice>& notices) {
  // Nearest first. (YAML::Node's assignment writes through to the node it refers to, so the
  // files are never swapped or reassigned in place: the chain is built anew below.)
  std::vector<ConfigFile> found;
  QA_TRY_ASSIGN(auto nearest, read_config_file(file, notices));
  found.push_back(std::move(nearest));
  const auto is_root = [](const YAML::Node& root) {
    const YAML::Node flag = root["root"];
    return flag && yaml_to_json(flag) == true;
  };
  // A qaboard.yaml of another repository is not a parent project: the search stops at the top
  // of the working tree holding `file` (`.git`: a folder, or a file in worktrees and
  // submodules), so a checkout nested in another's (a CI job folder, a vendored project) stands
  // alone.
  const auto is_repository_top = [](const fs::path& folder) {
    std::error_code ec;
    return fs::exists(folder / ".git", ec);
  };
  fs::path dir = file.parent_path();
  while (!is_root(found.back().root) && !is_repository_top(dir) && dir.has_parent_path() &&
         dir.parent_path() != dir) {
    dir = dir.parent_path();
    std::error_code ec;
    const fs::path candidate = dir / k_config_file_name;
    if (fs::is_regular_file(candidate, ec)) {
      QA_TRY_ASSIGN(auto parent, read_config_file(candidate, notices));
      found.push_back(std::move(parent));
    }
  }
  // Files naming different projects are not subprojects of one another (QA-Board refuses a
  // subproject that renames its project): going up, the chain ends below the first file that
  // names another project than the files below it.
  const auto name_of = [](const ConfigFile& config) -> std::string {
    const YAML::Node project = config.root["project"];
    const YAML::Node name = project && project.IsMap() ? project["name"] : YAML::Node();
    return name && name.IsScalar() ? name.Scalar() : std::string();
  };
  std::size_t top = 0;
  std::string named;
  for (std::size_t i = 0; i < found.size(); ++i) {
    const std::string name = name_of(found[i]);
    if (!name.empty() && !named.empty() && name != named) {
      break;
    }
    if (!name.empty()) {
      named = name;
    }
    top = i;
  }
  std::vector<ConfigFile> chain;
  for (std::size_t i = top + 1; i-- > 0;) {
    chain.push_back(found[i]);
  }
  return chain;
}

// The keys of an `inputs.types.<name>` entry.
const YamlSchema& input_type_schema() {
  static const YamlSchema schema = [] {
    YamlSchema s;
    for (const char* key : {"database", "globs", "glob", "use_parent_folder", "configs",
                            "configurations", "configuration"}) {
      s.keys[key] = YamlSchema{};
    }
    return s;
  }();
  return schema;
}

// Read `inputs.types`.
Expected<void> read_input_types(const Reader& r, const YAML::Node& types,
                                ProjectConfig::Inputs& inputs) {
  if (!types || types.IsNull()) {
    return {};
  }
  const fs::path& file = r.file();
  if (!types.IsMap()) {
    return yaml_error(file, types, "\"inputs.types\" must map type names to their settings");
  }
  for (const auto& item : types) {
    const std::string name = item.first.Scalar();
    const std::string key = "inputs.types." + name;
    if (name == "default") {
      if (!item.second.IsScalar()) {
        return yaml_error(file, item.second, "\"inputs.types.default\" must name a type");
      }
      inputs.default_type = item.second.Scalar();
      continue;
    }
    if (item.second.IsNull()) {
      inputs.types[name] = {};
      continue;
    }
    if (!item.second.IsMap()) {
      return yaml_error(file, item.second, fmt::format("{} must be a mapping", quote(key)));
    }
    QA_TRY(check_yaml_keys(item.second, input_type_schema(), file, key));
    ProjectConfig::InputType type;
    QA_TRY_ASSIGN(auto database, read_path_spec(item.second["database"], file, key + ".database"));
    if (database) {
      QA_TRY_ASSIGN(type.database, r.path(*database, item.second["database"]));
    }
    if (const YAML::Node globs = yaml_first_of(item.second, {"globs", "glob"}); globs.IsDefined()) {
      QA_TRY_ASSIGN(type.globs, r.strings(globs, key + ".globs"));
    }
    QA_TRY_ASSIGN(type.use_parent_folder,
                  r.boolean(item.second["use_parent_folder"], key + ".use_parent_folder"));
    if (const YAML::Node configs =
            yaml_first_of(item.second, {"configs", "configurations", "configuration"});
        configs.IsDefined()) {
      type.configs = yaml_configs(configs);
    }
    inputs.types[name] = std::move(type);
  }
  if (inputs.default_type != "default" && !inputs.types.contains(inputs.default_type)) {
    return yaml_error(file, types["default"],
                      fmt::format("\"inputs.types.default\" names the type {}, which "
                                  "\"inputs.types\" does not define",
                                  quote(inputs.default_type)));
  }
  return {};
}

// Replace QA-Board's `{project}` (the project's name, a subproject's included) and
// `{subproject}` (its folder, `.` for none) in a path of qaboard.yaml.
std::string with_project_names(std::string text, const std::string& project,
                               const std::string& subproject) {
  for (const auto& [token, value] :
       {std::pair<std::string_view, const std::string&>{"{project}", project},
        std::pair<std::string_view, const std::string&>{"{subproject}", subproject}}) {
    for (std::size_t at = text.find(token); at != std::string::npos;
         at = text.find(token, at + value.size())) {
      text.replace(at, token.size(), value);
    }
  }
  return text;
}

}  // namespace

Expected<InputSettings> input_settings(const ProjectConfig::Inputs& inputs, std::string_view type) {
  InputSettings settings;
  settings.type = type == "default" ? inputs.default_type : std::string(type);
  settings.database = inputs.database;
  settings.globs = inputs.globs;
  settings.use_parent_folder = inputs.use_parent_folder;
  settings.configs = inputs.configs;
  if (settings.type == "default") {
    return settings;
  }
  const auto found = inputs.types.find(settings.type);
  if (found == inputs.types.end()) {
    std::vector<std::string> names;
    for (const auto& [name, _] : inputs.types) {
      names.push_back(name);
    }
    return fail("unknown input type {}{}: \"inputs.types\" in qaboard.yaml defines {}",
                quote(settings.type), util::suggestion_suffix(settings.type, names),
                names.empty() ? std::string("none") : util::join(names, ", "));
  }
  const ProjectConfig::InputType& t = found->second;
  if (t.database) {
    settings.database = *t.database;
  }
  if (t.globs) {
    settings.globs = *t.globs;
  }
  if (t.use_parent_folder) {
    settings.use_parent_folder = *t.use_parent_folder;
  }
  if (t.configs) {
    settings.configs = *t.configs;
  }
  return settings;
}

Expected<ProjectConfig> load_config(const fs::path& file_arg) {
  const fs::path file = fs::absolute(file_arg).lexically_normal();
  ProjectConfig config;
  std::vector<YamlNotice> notices;
  QA_TRY_ASSIGN(const auto chain, read_config_chain(file, notices));
  // Each key once, named in the file nearest to the project (read first).
  std::set<std::string> noticed;
  for (const auto& notice : notices) {
    if (noticed.insert(notice.key).second) {
      config.notices.push_back(notice.message);
    }
  }
  YAML::Node root = chain.front().root;
  for (std::size_t i = 1; i < chain.size(); ++i) {
    root.reset(merge_config(root, chain[i].root));  // rebinds: assignment would write through
  }
  const fs::path project_root = chain.front().file.parent_path();
  const Reader r(file, project_root, root);
  config.file = file;
  config.root = project_root;
  config.inputs.database = config.root;

  const YAML::Node name_node =
      chain.front().root["project"] && chain.front().root["project"].IsMap()
          ? chain.front().root["project"]["name"]
          : YAML::Node(YAML::NodeType::Undefined);
  QA_TRY_ASSIGN(auto name, r.string(name_node, "project.name"));
  config.name = name.value_or(config.root.filename().string());
  // The subproject's folder, relative to the project's (`.` for none).
  const std::string subproject =
      file.parent_path().lexically_relative(project_root).generic_string();
  if (chain.size() > 1) {
    config.name += "/" + subproject;
  }
  if (auto valid = check_project_name(config.name); !valid) {
    return yaml_error(chain.front().file, name_node,
                      name ? valid.error().message
                           : valid.error().message + " (the folder's name; set project.name)");
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
  QA_TRY_ASSIGN(auto database_text, read_path_spec(database, file, "inputs.database"));
  if (database_text) {
    QA_TRY_ASSIGN(config.inputs.database,
                  r.path(with_project_names(*database_text, config.name, subproject), database));
  }
  QA_TRY_ASSIGN(config.inputs.globs,
                r.strings(yaml_first_of(root["inputs"], {"globs", "glob"}), "inputs.globs"));
  config.inputs.configs =
      yaml_configs(yaml_first_of(root["inputs"], {"configs", "configurations", "configuration"}));
  QA_TRY(read_input_types(r, r.node("inputs", "types"), config.inputs));
  QA_TRY_ASSIGN(auto use_parent,
                r.boolean(r.node("inputs", "use_parent_folder"), "inputs.use_parent_folder"));
  config.inputs.use_parent_folder = use_parent.value_or(false);
  // A batches file is a path or a path map, or a list of them; QA-Board's older name `groups`
  // wins when both are given, as in QA-Board.
  const YAML::Node batches =
      r.node("inputs", "groups") ? r.node("inputs", "groups") : r.node("inputs", "batches");
  if (batches && !batches.IsNull()) {
    std::vector<YAML::Node> items;
    if (batches.IsSequence()) {
      for (const auto& item : batches) {
        items.push_back(item);
      }
    } else {
      items.push_back(batches);
    }
    for (const auto& item : items) {
      QA_TRY_ASSIGN(auto batch_file, read_path_spec(item, file, "inputs.batches"));
      if (batch_file) {
        QA_TRY_ASSIGN(auto batch_path,
                      r.path(with_project_names(*batch_file, config.name, subproject), item));
        config.inputs.batches.push_back(batch_path);
      }
    }
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
  const YAML::Node deps = r.node("run", "deps");
  QA_TRY_ASSIGN(config.run.deps, r.strings(deps, "run.deps"));
  for (const auto& dep : config.run.deps) {
    if (dep.empty()) {
      return yaml_error(file, deps, "\"run.deps\" holds an empty path");
    }
  }

  const YAML::Node metrics = r.node("outputs", "metrics");
  QA_TRY_ASSIGN(auto metrics_text, r.string(metrics, "outputs.metrics"));
  if (metrics_text) {
    QA_TRY_ASSIGN(config.metrics_file, r.path(*metrics_text, metrics));
  }

  QA_TRY_ASSIGN(config.visualizations,
                parse_visualizations(r.node("outputs", "visualizations"), file));

  const YAML::Node patterns = r.node("bit_accuracy", "patterns");
  if (patterns && !patterns.IsNull()) {
    QA_TRY_ASSIGN(config.bit_accuracy.patterns, r.strings(patterns, "bit_accuracy.patterns"));
  }
  QA_TRY_ASSIGN(config.bit_accuracy.ignore,
                r.strings(r.node("bit_accuracy", "ignore"), "bit_accuracy.ignore"));

  // QA-Board's storage may also be {outputs: P, artifacts: P, garbage: ...}: outputs is ours.
  YAML::Node storage = root["storage"];
  if (storage && storage.IsMap() && !storage["linux"] &&
      (storage["outputs"] || storage["artifacts"] || storage["garbage"])) {
    for (const char* ignored : {"artifacts", "garbage"}) {
      if (storage[ignored]) {
        config.notices.push_back(fmt::format(
            "{}: line {}: \"storage.{}\" is ignored ({})", quote(file.string()),
            yaml_line(storage[ignored]), ignored,
            std::string_view(ignored) == "garbage" ? "qa-store gc keeps the store" : k_artifacts));
      }
    }
    storage = storage["outputs"];
  }
  QA_TRY_ASSIGN(auto storage_text, read_path_spec(storage, file, "storage"));
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
  if (config.runners.default_runner == "lsf" || config.runners.default_runner == "celery" ||
      config.runners.default_runner.starts_with("jenkins")) {
    config.notices.push_back(
        fmt::format("{}: line {}: \"runners.default: {}\" is ignored ({}): runs are local",
                    quote(file.string()), yaml_line(r.node("runners", "default")),
                    config.runners.default_runner, k_other_runner));
    config.runners.default_runner = "local";
  }
  if (config.runners.default_runner != "local" && config.runners.default_runner != "slurm") {
    return yaml_error(file, r.node("runners", "default"),
                      fmt::format("unknown runner {} (use \"local\" or \"slurm\")",
                                  quote(config.runners.default_runner)));
  }
  if (runners && runners["local"] && runners["local"].IsMap()) {
    const YAML::Node concurrency = runners["local"]["concurrency"];
    QA_TRY_ASSIGN(auto value, r.number(concurrency, "runners.local.concurrency"));
    // QA-Board's -1 is one run per core, as 0 (and no value) are here.
    config.runners.local_concurrency = value == -1.0 ? 0 : to_count(value.value_or(0));
    if (config.runners.local_concurrency == -1) {
      return yaml_error(
          file, concurrency,
          "\"runners.local.concurrency\" must be positive (or 0 or -1: one run per core)");
    }
    if (config.runners.local_concurrency == -2) {
      return yaml_error(
          file, concurrency,
          fmt::format("\"runners.local.concurrency\" must be at most {:.0f}", k_max_count));
    }
  }
  if (runners && runners.IsMap()) {
    QA_TRY_ASSIGN(config.runners.slurm,
                  read_slurm_options(runners["slurm"], file, "runners.slurm"));
  }
  return config;
}

}  // namespace qa::core
