#include <qa/core/batches.hpp>

#include <glob.h>

#include <algorithm>
#include <set>

#include <qa/core/matrix.hpp>
#include <qa/core/params.hpp>
#include <qa/core/path_spec.hpp>
#include <qa/core/yaml_json.hpp>
#include <qa/core/yaml_schema.hpp>
#include <qa/util/log.hpp>
#include <qa/util/path.hpp>
#include <qa/util/path_glob.hpp>
#include <qa/util/strings.hpp>

namespace qa::core {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The keys of a batch that qatools reads.
const std::vector<std::string> k_batch_keys{
    "inputs",   "tests",    "configs", "configurations", "configuration",
    "database", "globs",    "glob",    "type",           "use_parent_folder",
    "matrix",   "platform", "local",   "slurm",          "reference"};

// QA-Board's batch keys that qatools has no use for, and why.
const std::map<std::string, std::string, std::less<>> k_ignored_batch_keys{
    {"lsf", "QA-Board's LSF runner"},
    {"celery", "QA-Board's Celery runner"},
    {"windows", "QA-Board's Jenkins runner"},
    {"jenkins", "QA-Board's Jenkins runner"},
    {"runner", "QA-Board's runner choice: use qa-batch --runner"},
    {"needs", "QA-Board's pipelines"},
    {"only", "QA-Board's input metadata filters: every input is planned"},
    {"exclude", "QA-Board's input metadata filters: every input is planned"}};

// The keys of a per-input settings block (`inputs: {a.png: {database: ..., configs: [...]}}`)
// that are settings rather than parameters (QA-Board's iter_batch).
const std::vector<std::string> k_input_setting_keys{
    "type",  "database", "platform", "glob",   "globs",   "use_parent_folder",
    "local", "slurm",    "lsf",      "celery", "windows", "jenkins"};

bool has_glob_chars(std::string_view text) {
  return text.find_first_of("*?[") != std::string_view::npos;
}

// Return the paths matching `pattern`, sorted; none is not an error.
std::vector<fs::path> glob_paths(const std::string& pattern) {
  glob_t result{};
  std::vector<fs::path> paths;
  if (::glob(pattern.c_str(), GLOB_NOESCAPE, nullptr, &result) == 0) {
    for (std::size_t i = 0; i < result.gl_pathc; ++i) {
      paths.emplace_back(result.gl_pathv[i]);
    }
  }
  ::globfree(&result);
  return paths;
}

Expected<fs::path> resolve_path(const std::string& text, const fs::path& base) {
  QA_TRY_ASSIGN(const std::string expanded, util::expand_user_and_env(text));
  const fs::path path(expanded);
  return (path.is_absolute() ? path : base / path).lexically_normal();
}

// One `inputs` entry: a path, the configurations given with it and, from a settings block, where
// and how its inputs are found.
struct InputEntry {
  std::string path;
  json configs = json::array();
  YAML::Node node;
  YAML::Node settings;  // a per-input settings block (a map), or undefined
};

// Return the entry of `path` given `value` (null, a name, a list or a map). A map's settings keys
// (k_input_setting_keys) are kept apart; its `configs` (or `configurations`, `configuration`)
// are its configurations, else what remains of it is one parameter patch.
InputEntry make_entry(const std::string& path, const YAML::Node& value, const YAML::Node& at) {
  InputEntry entry{path, json::array(), at, YAML::Node(YAML::NodeType::Undefined)};
  if (!value || !value.IsMap()) {
    entry.configs = yaml_configs(value);
    return entry;
  }
  json patch = json::object();
  json configs;
  bool has_settings = false;
  for (const auto& item : value) {
    const std::string key = item.first.Scalar();
    if (std::find(k_input_setting_keys.begin(), k_input_setting_keys.end(), key) !=
        k_input_setting_keys.end()) {
      has_settings = true;
    } else if (key == "configs" || key == "configurations" || key == "configuration") {
      if (configs.is_null()) {
        configs = json::array();
        flatten_configs(yaml_to_json(item.second), configs);
      }
    } else {
      patch[key] = yaml_to_json(item.second);
    }
  }
  if (has_settings) {
    entry.settings = value;
  }
  if (!configs.is_null()) {
    entry.configs = std::move(configs);  // as QA-Board: the other keys are then left out
  } else if (!patch.empty()) {
    entry.configs.push_back(std::move(patch));
  }
  return entry;
}

Expected<std::vector<InputEntry>> input_entries(const YAML::Node& inputs) {
  std::vector<InputEntry> entries;
  if (!inputs || inputs.IsNull()) {
    // No inputs: every entry at the top of the database (QA-Board's `*`).
    entries.push_back(InputEntry{"", json::array(), inputs, YAML::Node(YAML::NodeType::Undefined)});
    return entries;
  }
  if (inputs.IsScalar()) {
    entries.push_back(
        InputEntry{inputs.Scalar(), json::array(), inputs, YAML::Node(YAML::NodeType::Undefined)});
    return entries;
  }
  if (inputs.IsMap()) {
    for (const auto& item : inputs) {
      entries.push_back(make_entry(item.first.Scalar(), item.second, item.first));
    }
    return entries;
  }
  for (const auto& item : inputs) {
    if (item.IsScalar()) {
      entries.push_back(
          InputEntry{item.Scalar(), json::array(), item, YAML::Node(YAML::NodeType::Undefined)});
    } else if (item.IsMap() && item.size() >= 1) {
      for (const auto& pair : item) {
        entries.push_back(make_entry(pair.first.Scalar(), pair.second, item));
      }
    } else if (item.IsSequence() && item.size() > 0 && item[0].IsScalar()) {
      InputEntry entry{item[0].Scalar(), json::array(), item,
                       YAML::Node(YAML::NodeType::Undefined)};
      for (std::size_t i = 1; i < item.size(); ++i) {
        flatten_configs(yaml_to_json(item[i]), entry.configs);
      }
      entries.push_back(std::move(entry));
    } else {
      return tl::unexpected<Error>(
          Error{fmt::format("line {}: an input is a path, {{path: configs}} or [path, config...]",
                            yaml_line(item)),
                ErrorKind::config});
    }
  }
  return entries;
}

// Return the globs that `value` gives (a pattern or a list of patterns).
Expected<std::vector<std::string>> globs_of(const YAML::Node& value) {
  std::vector<std::string> globs;
  const json list = yaml_to_json(value);
  for (const auto& glob : list.is_array() ? list : json::array({list})) {
    if (!glob.is_string()) {
      return fail("\"globs\" must be a pattern or a list of patterns");
    }
    globs.push_back(glob.get<std::string>());
  }
  return globs;
}

// Where and how the inputs of a batch, or of one of its inputs, are found.
struct Where {
  fs::path database;
  std::vector<std::string> globs;
  bool use_parent_folder = false;
  std::string type = "default";
  std::string platform;  // QA-Board's platform, empty when not given
};

// Return the text of a `platform` value (a name; numbers as text), or an error.
Expected<std::string> platform_of(const json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_number() || value.is_boolean()) {
    return value.dump();
  }
  return fail("\"platform\" must be a name such as linux or windows");
}

// Apply the settings of `node` (a batch or a per-input block) to `where`: `type` first (its
// settings replace the current ones, but for the database, which only a batch's type sets), then
// `database`, `globs` (or `glob`) and `use_parent_folder`.
Expected<void> apply_settings(const YAML::Node& node, const InputDefaults& defaults,
                              const fs::path& file, std::string_view batch, bool type_sets_database,
                              Where& where, fs::path* file_database = nullptr) {
  auto error = [&](const YAML::Node& at, std::string_view what) {
    return yaml_error(file, at, fmt::format("batch {}: {}", quote(batch), what));
  };
  if (const YAML::Node type = node["type"]; type && !type.IsNull()) {
    if (!type.IsScalar()) {
      return error(type, "\"type\" must name an input type");
    }
    auto settings = input_settings(defaults.inputs, type.Scalar());
    if (!settings) {
      return error(type, settings.error().message);
    }
    where.type = settings->type;
    where.globs = settings->globs;
    where.use_parent_folder = settings->use_parent_folder;
    if (type_sets_database) {
      where.database = settings->database;
    }
  }
  if (file_database != nullptr && !file_database->empty()) {
    where.database = *file_database;
  }
  auto database = read_path_spec(node["database"], "database");
  if (!database) {
    return error(node["database"], database.error().message);
  }
  if (*database) {
    auto resolved = resolve_path(**database, defaults.project_root);
    if (!resolved) {
      return error(node["database"], resolved.error().message);
    }
    where.database = *resolved;
  }
  if (const YAML::Node value = yaml_first_of(node, {"globs", "glob"}); value.IsDefined()) {
    auto globs = globs_of(value);
    if (!globs) {
      return error(value, globs.error().message);
    }
    where.globs = std::move(*globs);
  }
  if (const YAML::Node value = node["use_parent_folder"]; value) {
    const json flag = yaml_to_json(value);
    if (!flag.is_boolean()) {
      return error(value, "\"use_parent_folder\" must be true or false");
    }
    where.use_parent_folder = flag.get<bool>();
  }
  if (const YAML::Node value = node["platform"]; value && !value.IsNull()) {
    auto platform = platform_of(yaml_to_json(value));
    if (!platform) {
      return error(value, platform.error().message);
    }
    where.platform = std::move(*platform);
  }
  return {};
}

}  // namespace

Expected<InputPaths> expand_input_path(const fs::path& database_arg, const std::string& path_arg,
                                       const std::vector<std::string>& globs,
                                       bool use_parent_folder) {
  InputPaths out{database_arg.lexically_normal(), {}};
  std::string path = path_arg;
  if (!path.empty() && path.front() == '/') {
    out.database = "/";  // QA-Board: an absolute input path is relative to the root
    path.erase(0, path.find_first_not_of('/') == std::string::npos ? path.size()
                                                                   : path.find_first_not_of('/'));
  }
  const fs::path& root = out.database;
  const std::string pattern = path.empty() ? "*" : path;
  const auto matches = util::glob_under(root, pattern);
  if (matches.empty()) {
    return has_glob_chars(pattern)
               ? fail("no input matches {} in the database {}",
                      quote(path.empty() ? "*" : path_arg), quote(root.string()))
               : fail("input {} not found in the database {}", quote(path_arg),
                      quote(root.string()));
  }
  for (const auto& match : matches) {
    if (!util::is_within(root, match)) {
      return fail("input {} is not inside the database {}", quote(path_arg), quote(root.string()));
    }
  }
  std::set<std::string> found;
  // Every input is a match or lies under one: inside the database (checked above).
  auto add = [&](const fs::path& input) -> Expected<void> {
    const std::string rel = input.lexically_normal().lexically_relative(root).generic_string();
    if (rel.empty() || rel == ".") {
      return fail("input {} is the database {} itself: give inputs.globs to find inputs in it",
                  quote(path_arg.empty() ? "*" : path_arg), quote(root.string()));
    }
    found.insert(rel);
    return {};
  };
  if (globs.empty()) {
    for (const auto& match : matches) {
      QA_TRY(add(match));
    }
  }
  for (const auto& glob : globs) {
    const std::string under = "**/" + glob;
    const std::string itself = "*/" + glob;
    for (const auto& match : matches) {
      std::error_code ec;
      if (fs::is_directory(match, ec)) {
        for (auto it = fs::recursive_directory_iterator(
                 match, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
          const std::string rel = it->path().lexically_relative(match).generic_string();
          if (util::path_glob_match(under, rel)) {
            QA_TRY(add(use_parent_folder ? it->path().parent_path() : it->path()));
          }
        }
      }
      // As QA-Board: a named path that matches the glob is an input itself (not its folder).
      const std::string text = match.string();
      if (util::glob_match(itself, text) || text.ends_with(glob)) {
        QA_TRY(add(match));
      }
    }
  }
  out.inputs.assign(found.begin(), found.end());
  return out;
}

Expected<Batches> Batches::load(const std::vector<fs::path>& files, const fs::path& project_root) {
  Batches batches;
  std::set<std::string> noticed;  // ignored keys already warned about
  for (const auto& pattern : files) {
    std::vector<fs::path> matches;
    if (has_glob_chars(pattern.string())) {
      matches = glob_paths(pattern.string());
    } else {
      matches.push_back(pattern);
    }
    for (const auto& file : matches) {
      QA_TRY_ASSIGN(const YAML::Node root, load_yaml_file(file));
      batches.m_files.push_back(file);
      if (root.IsNull()) {
        continue;
      }
      if (!root.IsMap()) {
        return yaml_error(file, root, "a batches file is a map of batch names to batches");
      }
      fs::path file_database;
      QA_TRY_ASSIGN(auto database_text, read_path_spec(root["database"], file, "database"));
      if (database_text) {
        auto resolved = resolve_path(*database_text, project_root);
        if (!resolved) {
          return yaml_error(file, root["database"], resolved.error().message);
        }
        file_database = *resolved;
      }
      for (const auto& item : root) {
        const std::string name = item.first.Scalar();
        if (name == "database" || name.starts_with(".")) {
          continue;
        }
        if (name == "aliases" || name == "groups") {
          if (!item.second.IsMap()) {
            return yaml_error(file, item.second, fmt::format("{} must be a map", quote(name)));
          }
          for (const auto& alias : item.second) {
            batches.m_aliases[alias.first.Scalar()] = Alias{file, alias.second};
          }
          continue;
        }
        // As in QA-Board, entries that are no batch may sit beside the batches (settings
        // reused through YAML anchors): a list, a value, or a map with no batch key. An empty
        // map (`all: {}`) is a batch of everything in the database.
        const bool is_map = item.second.IsMap();
        // A key close to a batch key (`inptus`) is a typo in a batch, not another entry.
        const bool looks_like_batch =
            item.second.IsNull() || (is_map && item.second.size() == 0) ||
            (is_map && std::any_of(item.second.begin(), item.second.end(), [](const auto& key) {
               const std::string key_name = key.first.Scalar();
               return std::find(k_batch_keys.begin(), k_batch_keys.end(), key_name) !=
                          k_batch_keys.end() ||
                      k_ignored_batch_keys.contains(key_name) ||
                      !util::suggestion_suffix(key_name, k_batch_keys).empty();
             }));
        if (!looks_like_batch) {
          batches.m_not_batches[name] = NotBatch{file, item.first, item.second};
          batches.m_batches.erase(name);
          continue;
        }
        for (const auto& key : item.second) {
          const std::string key_name = key.first.Scalar();
          if (const auto ignored = k_ignored_batch_keys.find(key_name);
              ignored != k_ignored_batch_keys.end()) {
            if (noticed.insert(key_name).second) {
              util::log::warning("{}: line {}: batch {}: {} is ignored ({})", quote(file.string()),
                                 yaml_line(key.first), quote(name), quote(key_name),
                                 ignored->second);
            }
            continue;
          }
          if (std::find(k_batch_keys.begin(), k_batch_keys.end(), key_name) == k_batch_keys.end()) {
            return yaml_error(
                file, key.first,
                fmt::format("batch {}: unknown key {}{}", quote(name), quote(key_name),
                            util::suggestion_suffix(key_name, k_batch_keys)));
          }
        }
        batches.m_not_batches.erase(name);
        batches.m_batches[name] = Definition{file, item.second, file_database};
      }
    }
  }
  return batches;
}

std::vector<std::string> Batches::names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : m_batches) {
    out.push_back(name);
  }
  for (const auto& [name, _] : m_aliases) {
    out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Expected<void> Batches::resolve(const std::string& name, Resolution& resolution,
                                std::vector<std::string>& out) const {
  const auto alias = m_aliases.find(name);
  if (alias == m_aliases.end()) {
    out.push_back(name);
    return {};
  }
  auto& chain = resolution.chain;
  if (std::find(chain.begin(), chain.end(), name) != chain.end()) {
    chain.push_back(name);
    return yaml_error(alias->second.file, alias->second.node,
                      fmt::format("alias cycle: {}", util::join(chain, " -> ")));
  }
  chain.push_back(name);
  auto [members, added] = resolution.members.try_emplace(name, json::array());
  if (added) {
    flatten_configs(yaml_to_json(alias->second.node), members->second);
  }
  for (const auto& member : members->second) {
    if (!member.is_string()) {
      return yaml_error(alias->second.file, alias->second.node,
                        fmt::format("alias {} must list batch names", quote(name)));
    }
    if (++resolution.steps > k_max_alias_members) {
      return yaml_error(
          alias->second.file, alias->second.node,
          fmt::format("alias {} names more than {} batches", quote(name), k_max_alias_members));
    }
    QA_TRY(resolve(member.get<std::string>(), resolution, out));
  }
  chain.pop_back();
  return {};
}

Expected<std::vector<BatchRun>> Batches::expand(const std::vector<std::string>& names,
                                                const InputDefaults& defaults) const {
  std::vector<BatchRun> runs;
  // The runs of each name already expanded: aliases may name a batch many times.
  std::map<std::string, std::vector<BatchRun>> expanded;
  auto append = [&](const std::vector<BatchRun>& more) -> Expected<void> {
    if (more.size() > k_max_plan_runs - runs.size()) {
      return fail("the batches {} give more than {} runs: the plan is too large",
                  quote(util::join(names, " ")), k_max_plan_runs);
    }
    runs.insert(runs.end(), more.begin(), more.end());
    return {};
  };
  for (const auto& requested : names) {
    Resolution resolution;
    std::vector<std::string> resolved;
    QA_TRY(resolve(requested, resolution, resolved));
    for (const auto& name : resolved) {
      if (const auto done = expanded.find(name); done != expanded.end()) {
        QA_TRY(append(done->second));
        continue;
      }
      if (const auto batch = m_batches.find(name); batch != m_batches.end()) {
        QA_TRY_ASSIGN(auto batch_runs, expand_batch(name, batch->second, defaults));
        QA_TRY(append(batch_runs));
        expanded.emplace(name, std::move(batch_runs));
        continue;
      }
      if (const auto other = m_not_batches.find(name); other != m_not_batches.end()) {
        // A map of unknown keys is most likely a batch with a typo: suggest the key meant.
        std::string hint = "a batch is a map of inputs, configs, ...";
        if (other->second.value.IsMap() && other->second.value.size() > 0) {
          const std::string first = other->second.value.begin()->first.Scalar();
          hint = fmt::format("none of its keys is a batch's ({}{})", quote(first),
                             util::suggestion_suffix(first, k_batch_keys));
        }
        return yaml_error(other->second.file, other->second.key,
                          fmt::format("{} is not a batch: {}", quote(name), hint));
      }
      QA_TRY_ASSIGN(const InputSettings settings, input_settings(defaults.inputs));
      auto inputs =
          expand_input_path(settings.database, name, settings.globs, settings.use_parent_folder);
      if (!inputs) {
        std::vector<std::string> files;
        for (const auto& file : m_files) {
          files.push_back(quote(file.string()));
        }
        return fail(
            "unknown batch {}{}: no batch or alias of that name in {}, and no input "
            "under {}",
            quote(name), util::suggestion_suffix(name, this->names()),
            files.empty() ? std::string("(no batches file)") : util::join(files, ", "),
            quote(settings.database.string()));
      }
      if (inputs->inputs.empty()) {
        util::log::warning("{}: no input under it matches the globs {}", quote(name),
                           util::join(settings.globs, ", "));
      }
      std::vector<BatchRun> input_runs;
      for (auto& input : inputs->inputs) {
        input_runs.push_back(BatchRun{
            name, inputs->database, std::move(input), settings.configs, settings.type, {}, {}});
      }
      QA_TRY(append(input_runs));
      expanded.emplace(name, std::move(input_runs));
    }
  }
  return runs;
}

Expected<std::vector<BatchRun>> Batches::expand_batch(const std::string& name,
                                                      const Definition& definition,
                                                      const InputDefaults& defaults) const {
  const YAML::Node& node = definition.node;
  const fs::path& file = definition.file;
  auto error = [&](const YAML::Node& at, const std::string& what) {
    return yaml_error(file, at.IsDefined() && at.Mark().line >= 0 ? at : node,
                      fmt::format("batch {}: {}", quote(name), what));
  };
  QA_TRY_ASSIGN(const InputSettings base, input_settings(defaults.inputs));
  Where where{base.database, base.globs, base.use_parent_folder, base.type, {}};
  fs::path file_database = definition.file_database;
  // A batch without configurations takes the default ones (inputs.configs); one with a
  // `configs` key replaces them.
  json batch_configs = base.configs;
  bool batch_has_configs = false;
  json matrix;
  YAML::Node inputs;
  SlurmOptions slurm;
  std::string reference;
  if (node.IsMap()) {
    QA_TRY(apply_settings(node, defaults, file, name, true, where, &file_database));
    QA_TRY_ASSIGN(slurm, read_slurm_options(node["slurm"], file, name + ".slurm"));
    if (const YAML::Node value = node["reference"]; value && !value.IsNull()) {
      if (!value.IsScalar() || value.Scalar().empty()) {
        return error(value, "\"reference\" must be a milestone, tag, branch or sha");
      }
      reference = value.Scalar();
    }
    if (const YAML::Node configs =
            yaml_first_of(node, {"configs", "configurations", "configuration"});
        configs.IsDefined()) {
      batch_configs = yaml_configs(configs);
      batch_has_configs = true;
    }
    if (const YAML::Node value = node["matrix"]; value && !value.IsNull()) {
      if (!value.IsMap()) {
        return error(value, "\"matrix\" must be a map of variable -> list of values");
      }
      matrix = yaml_to_json(value);
    }
    inputs = yaml_first_of(node, {"inputs", "tests"});
  }

  auto combinations = expand_matrix(matrix);
  if (!combinations) {
    return error(node.IsMap() ? node["matrix"] : node, combinations.error().message);
  }
  auto entries = input_entries(inputs);
  if (!entries) {
    return error(inputs, entries.error().message);
  }
  if (entries->size() > k_max_plan_runs / combinations->size()) {
    return error(inputs, fmt::format("{} inputs times {} matrix combinations is more than {} "
                                     "runs: the plan is too large",
                                     entries->size(), combinations->size(), k_max_plan_runs));
  }
  std::vector<BatchRun> runs;
  for (const auto& entry : *entries) {
    Where input_where = where;
    if (entry.settings.IsDefined()) {
      // As QA-Board: an input's type gives its globs and use_parent_folder, not its database.
      QA_TRY(apply_settings(entry.settings, defaults, file, name, false, input_where));
    }
    auto paths = expand_input_path(input_where.database, entry.path, input_where.globs,
                                   input_where.use_parent_folder);
    if (!paths) {
      return error(entry.node, paths.error().message);
    }
    if (paths->inputs.empty()) {
      util::log::warning(
          "{}: line {}: batch {}: no input under {} matches the globs {}", quote(file.string()),
          yaml_line(entry.node.IsDefined() ? entry.node : node), quote(name),
          quote(entry.path.empty() ? "*" : entry.path), util::join(input_where.globs, ", "));
      continue;
    }
    if (runs.size() + paths->inputs.size() * combinations->size() > k_max_plan_runs) {
      return error(node, fmt::format("more than {} runs: the plan is too large", k_max_plan_runs));
    }
    // Inputs vary slowest, then the matrix combinations (in the matrix's own order).
    std::vector<json> combination_configs;
    for (const auto& combination : *combinations) {
      // As QA-Board: a matrix's configurations replace the default ones when the batch gives
      // none, and follow the batch's otherwise.
      json configs =
          batch_has_configs || combination.configs.empty() ? batch_configs : json::array();
      flatten_configs(combination.configs, configs);
      flatten_configs(entry.configs, configs);
      auto substituted = substitute_matrix(configs, combination.variables);
      if (!substituted) {
        // The reference is in a configuration: of the input, of the batch, or of the matrix.
        const YAML::Node batch_configs_node =
            node.IsMap() ? yaml_first_of(node, {"configs", "configurations", "configuration"})
                         : YAML::Node(YAML::NodeType::Undefined);
        return error(!entry.configs.empty()           ? entry.node
                     : batch_configs_node.IsDefined() ? batch_configs_node
                                                      : node["matrix"],
                     substituted.error().message);
      }
      // A placeholder may stand for a list of configurations: flatten again.
      json flat = json::array();
      flatten_configs(*substituted, flat);
      // QA-Board's platform (of the matrix, else of the input or batch) is part of what a run
      // is: the parameter `platform`, after the configurations; its default, linux, is none.
      std::string platform = input_where.platform;
      if (const auto value = combination.variables.find("platform");
          value != combination.variables.end()) {
        auto text = platform_of(*value);
        if (!text) {
          return error(node["matrix"], text.error().message);
        }
        platform = std::move(*text);
      }
      if (!platform.empty() && platform != "linux") {
        flat.push_back(json{{"platform", platform}});
      }
      combination_configs.push_back(std::move(flat));
    }
    for (const auto& input : paths->inputs) {
      for (const auto& configs : combination_configs) {
        runs.push_back(
            BatchRun{name, paths->database, input, configs, input_where.type, slurm, reference});
      }
    }
  }
  return runs;
}

}  // namespace qa::core
