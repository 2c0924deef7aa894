#include <qa/core/batches.hpp>

#include <glob.h>

#include <algorithm>
#include <set>

#include <qa/core/matrix.hpp>
#include <qa/core/yaml_json.hpp>
#include <qa/core/yaml_schema.hpp>
#include <qa/util/path.hpp>
#include <qa/util/strings.hpp>

namespace qa::core {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::vector<std::string> k_batch_keys{
    "inputs",   "tests", "configs", "configurations",    "configuration",
    "database", "globs", "glob",    "use_parent_folder", "matrix",
    "local",    "slurm", "lsf"};

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

// Append `value` to `out`: lists are flattened, null adds nothing, numbers and booleans are
// configuration names written as text (`configs: [720]` names the configuration "720").
void flatten_configs(const json& value, json& out) {
  if (value.is_array()) {
    for (const auto& item : value) {
      flatten_configs(item, out);
    }
  } else if (value.is_number() || value.is_boolean()) {
    out.push_back(value.dump());
  } else if (!value.is_null()) {
    out.push_back(value);
  }
}

json configs_of(const YAML::Node& node) {
  json out = json::array();
  if (node && node.IsDefined()) {
    flatten_configs(yaml_to_json(node), out);
  }
  return out;
}

YAML::Node first_of(const YAML::Node& node, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    if (node[key]) {
      return node[key];
    }
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

Expected<fs::path> resolve_path(const std::string& text, const fs::path& base) {
  QA_TRY_ASSIGN(const std::string expanded, util::expand_user_and_env(text));
  const fs::path path(expanded);
  return (path.is_absolute() ? path : base / path).lexically_normal();
}

// One `inputs` entry: a path and the configurations given with it.
struct InputEntry {
  std::string path;
  json configs = json::array();
  YAML::Node node;
};

Expected<std::vector<InputEntry>> input_entries(const YAML::Node& inputs) {
  std::vector<InputEntry> entries;
  if (!inputs || inputs.IsNull()) {
    entries.push_back(InputEntry{".", json::array(), inputs});
    return entries;
  }
  if (inputs.IsScalar()) {
    entries.push_back(InputEntry{inputs.Scalar(), json::array(), inputs});
    return entries;
  }
  if (inputs.IsMap()) {
    for (const auto& item : inputs) {
      entries.push_back(InputEntry{item.first.Scalar(), configs_of(item.second), item.first});
    }
    return entries;
  }
  for (const auto& item : inputs) {
    if (item.IsScalar()) {
      entries.push_back(InputEntry{item.Scalar(), json::array(), item});
    } else if (item.IsMap() && item.size() == 1) {
      const auto pair = *item.begin();
      entries.push_back(InputEntry{pair.first.Scalar(), configs_of(pair.second), item});
    } else if (item.IsSequence() && item.size() > 0 && item[0].IsScalar()) {
      InputEntry entry{item[0].Scalar(), json::array(), item};
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

}  // namespace

Expected<std::vector<std::string>> expand_input_path(const fs::path& database,
                                                     const std::string& path,
                                                     const std::vector<std::string>& globs,
                                                     bool use_parent_folder) {
  const fs::path root = database.lexically_normal();
  const fs::path target = (path.empty() || path == ".") ? root : (root / path).lexically_normal();
  if (!util::is_within(root, target)) {
    return fail("input {} is not inside the database {}", quote(path), quote(root.string()));
  }
  std::set<std::string> found;
  auto add_folder = [&](const fs::path& folder) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(folder, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file()) {
        continue;
      }
      const std::string rel = it->path().lexically_relative(folder).generic_string();
      if (!globs.empty() && !util::glob_match_any(globs, rel) &&
          !util::glob_match_any(globs, it->path().filename().string())) {
        continue;
      }
      const fs::path input = use_parent_folder ? it->path().parent_path() : it->path();
      found.insert(input.lexically_relative(root).generic_string());
    }
  };
  std::error_code ec;
  if (has_glob_chars(path)) {
    const auto matches = glob_paths(target.string());
    if (matches.empty()) {
      return fail("no input matches {} in the database {}", quote(path), quote(root.string()));
    }
    for (const auto& match : matches) {
      if (fs::is_directory(match, ec)) {
        add_folder(match);
      } else if (globs.empty() || util::glob_match_any(globs, match.filename().string())) {
        found.insert(match.lexically_relative(root).generic_string());
      }
    }
  } else if (fs::is_directory(target, ec)) {
    add_folder(target);
  } else if (fs::exists(target, ec)) {
    return std::vector<std::string>{target.lexically_relative(root).generic_string()};
  } else {
    return fail("input {} not found in the database {}", quote(path), quote(root.string()));
  }
  return std::vector<std::string>(found.begin(), found.end());
}

Expected<Batches> Batches::load(const std::vector<fs::path>& files, const fs::path& project_root) {
  Batches batches;
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
      if (const YAML::Node database = root["database"]; database && database.IsScalar()) {
        auto resolved = resolve_path(database.Scalar(), project_root);
        if (!resolved) {
          return yaml_error(file, database, resolved.error().message);
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
        if (!item.second.IsNull() && !item.second.IsMap()) {
          return yaml_error(
              file, item.first,
              fmt::format("batch {} must be a map (inputs, configs, ...)", quote(name)));
        }
        for (const auto& key : item.second) {
          const std::string key_name = key.first.Scalar();
          if (std::find(k_batch_keys.begin(), k_batch_keys.end(), key_name) == k_batch_keys.end()) {
            return yaml_error(
                file, key.first,
                fmt::format("batch {}: unknown key {}{}", quote(name), quote(key_name),
                            util::suggestion_suffix(key_name, k_batch_keys)));
          }
        }
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
      auto inputs =
          expand_input_path(defaults.database, name, defaults.globs, defaults.use_parent_folder);
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
            quote(defaults.database.string()));
      }
      std::vector<BatchRun> input_runs;
      for (auto& input : *inputs) {
        input_runs.push_back(BatchRun{name, defaults.database, std::move(input), json::array()});
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
  auto error = [&](const YAML::Node& at, const std::string& what) {
    return yaml_error(definition.file, at.IsDefined() && at.Mark().line >= 0 ? at : node,
                      fmt::format("batch {}: {}", quote(name), what));
  };

  fs::path database =
      definition.file_database.empty() ? defaults.database : definition.file_database;
  std::vector<std::string> globs = defaults.globs;
  bool use_parent_folder = defaults.use_parent_folder;
  json batch_configs = json::array();
  json matrix;
  YAML::Node inputs;
  if (node.IsMap()) {
    if (const YAML::Node value = node["database"]; value && value.IsScalar()) {
      auto resolved = resolve_path(value.Scalar(), defaults.project_root);
      if (!resolved) {
        return error(value, resolved.error().message);
      }
      database = *resolved;
    }
    if (const YAML::Node value = first_of(node, {"globs", "glob"}); value.IsDefined()) {
      globs.clear();
      const json list = yaml_to_json(value);
      for (const auto& glob : list.is_array() ? list : json::array({list})) {
        if (!glob.is_string()) {
          return error(value, "\"globs\" must be a pattern or a list of patterns");
        }
        globs.push_back(glob.get<std::string>());
      }
    }
    if (const YAML::Node value = node["use_parent_folder"]; value) {
      const json flag = yaml_to_json(value);
      if (!flag.is_boolean()) {
        return error(value, "\"use_parent_folder\" must be true or false");
      }
      use_parent_folder = flag.get<bool>();
    }
    batch_configs = configs_of(first_of(node, {"configs", "configurations", "configuration"}));
    if (const YAML::Node value = node["matrix"]; value && !value.IsNull()) {
      if (!value.IsMap()) {
        return error(value, "\"matrix\" must be a map of variable -> list of values");
      }
      matrix = yaml_to_json(value);
    }
    inputs = first_of(node, {"inputs", "tests"});
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
    auto paths = expand_input_path(database, entry.path, globs, use_parent_folder);
    if (!paths) {
      return error(entry.node, paths.error().message);
    }
    if (runs.size() + paths->size() * combinations->size() > k_max_plan_runs) {
      return error(node, fmt::format("more than {} runs: the plan is too large", k_max_plan_runs));
    }
    // Inputs vary slowest, then the matrix combinations (in the matrix's own order).
    std::vector<json> combination_configs;
    for (const auto& combination : *combinations) {
      json configs = batch_configs;
      flatten_configs(combination.configs, configs);
      flatten_configs(entry.configs, configs);
      auto substituted = substitute_matrix(configs, combination.variables);
      if (!substituted) {
        // The reference is in a configuration: of the input, of the batch, or of the matrix.
        const YAML::Node batch_configs_node =
            node.IsMap() ? first_of(node, {"configs", "configurations", "configuration"})
                         : YAML::Node(YAML::NodeType::Undefined);
        return error(!entry.configs.empty()           ? entry.node
                     : batch_configs_node.IsDefined() ? batch_configs_node
                                                      : node["matrix"],
                     substituted.error().message);
      }
      // A placeholder may stand for a list of configurations: flatten again.
      json flat = json::array();
      flatten_configs(*substituted, flat);
      combination_configs.push_back(std::move(flat));
    }
    for (const auto& input : *paths) {
      for (const auto& configs : combination_configs) {
        runs.push_back(BatchRun{name, database, input, configs});
      }
    }
  }
  return runs;
}

}  // namespace qa::core
