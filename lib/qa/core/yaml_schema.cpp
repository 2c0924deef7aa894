#include <qa/core/yaml_schema.hpp>

#include <optional>
#include <vector>

#include <qa/util/file.hpp>
#include <qa/util/strings.hpp>

namespace qa::core {

int yaml_line(const YAML::Node& node) {
  if (!node.IsDefined()) {
    return 0;  // a missing key: Mark() would throw
  }
  const YAML::Mark mark = node.Mark();
  return mark.line >= 0 ? mark.line + 1 : 0;
}

tl::unexpected<Error> yaml_error(const std::filesystem::path& file, const YAML::Node& node,
                                 std::string_view what) {
  const int line = yaml_line(node);
  if (line > 0) {
    return fail_as(ErrorKind::config, "cannot read {}: line {}: {}", quote(file.string()), line,
                   what);
  }
  return fail_as(ErrorKind::config, "cannot read {}: {}", quote(file.string()), what);
}

Expected<void> check_yaml_keys(const YAML::Node& node, const YamlSchema& schema,
                               const std::filesystem::path& file, std::string_view prefix,
                               std::vector<YamlNotice>* notices) {
  if (!node.IsMap() || schema.open || schema.keys.empty()) {
    return {};  // a leaf: its reader checks the value's type and names it
  }
  std::vector<std::string> known;
  for (const auto& [key, _] : schema.keys) {
    known.push_back(key);
  }
  for (const auto& item : node) {
    const std::string key = item.first.Scalar();
    const std::string path = prefix.empty() ? key : std::string(prefix) + "." + key;
    const auto found = schema.keys.find(key);
    if (found == schema.keys.end()) {
      return yaml_error(
          file, item.first,
          fmt::format("unknown key {}{}", quote(path), util::suggestion_suffix(key, known)));
    }
    if (!found->second.ignored.empty()) {
      if (notices != nullptr) {
        notices->push_back(YamlNotice{
            path, fmt::format("{}: line {}: {} is ignored ({})", quote(file.string()),
                              yaml_line(item.first), quote(path), found->second.ignored)});
      }
      continue;
    }
    QA_TRY(check_yaml_keys(item.second, found->second, file, path, notices));
  }
  return {};
}

namespace {

// Walk `node` at `depth`, counting the values seen in `count` (see check_yaml_bounds).
Expected<void> check_bounds(const YAML::Node& node, const std::filesystem::path& file, int depth,
                            std::size_t& count) {
  if (depth > k_max_yaml_depth) {
    return yaml_error(
        file, node,
        fmt::format("values nested deeper than {} levels (a recursive alias?)", k_max_yaml_depth));
  }
  if (++count > k_max_yaml_values) {
    return yaml_error(
        file, node,
        fmt::format("more than {} values once aliases are expanded", k_max_yaml_values));
  }
  if (node.IsMap()) {
    std::map<std::string, int, std::less<>> lines;
    for (const auto& item : node) {
      if (item.first.IsScalar()) {
        const auto [seen, added] = lines.emplace(item.first.Scalar(), yaml_line(item.first));
        if (!added) {
          return yaml_error(file, item.first,
                            fmt::format("duplicate key {} (first at line {})",
                                        quote(item.first.Scalar()), seen->second));
        }
      }
      QA_TRY(check_bounds(item.second, file, depth + 1, count));
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) {
      QA_TRY(check_bounds(item, file, depth + 1, count));
    }
  }
  return {};
}

// Return whether `key` is YAML's merge key: a plain (not quoted) `<<`.
bool is_merge_key(const YAML::Node& key) {
  return key.IsScalar() && key.Scalar() == "<<" &&
         (key.Tag() == "?" || key.Tag() == "tag:yaml.org,2002:merge");
}

// Resolve the merge keys of `node` and of everything under it, in place (see
// resolve_yaml_merge_keys). The bounds were checked first, so the depth is bounded.
Expected<void> resolve_merges(YAML::Node node, const std::filesystem::path& file, int depth) {
  if (depth > k_max_yaml_depth) {
    return {};
  }
  if (node.IsSequence()) {
    for (auto item : node) {
      QA_TRY(resolve_merges(item, file, depth + 1));
    }
    return {};
  }
  if (!node.IsMap()) {
    return {};
  }
  std::optional<YAML::Node> merge_key;
  std::vector<YAML::Node> sources;
  for (auto item : node) {
    if (!is_merge_key(item.first)) {
      QA_TRY(resolve_merges(item.second, file, depth + 1));
      continue;
    }
    merge_key = item.first;
    const auto add = [&](const YAML::Node& source) -> Expected<void> {
      if (!source.IsMap()) {
        return yaml_error(file, source, "the merge key \"<<\" takes a map or a list of maps");
      }
      sources.push_back(source);
      return {};
    };
    if (item.second.IsSequence()) {
      for (const auto& source : item.second) {
        QA_TRY(add(source));
      }
    } else {
      QA_TRY(add(item.second));
    }
  }
  if (!merge_key) {
    return {};
  }
  node.remove(*merge_key);
  // The map's own keys win, then the merged maps' in the order given.
  for (auto& source : sources) {
    QA_TRY(resolve_merges(source, file, depth + 1));
    for (const auto& item : source) {
      const YAML::Node& lookup = node;
      if (!item.first.IsScalar() || !lookup[item.first.Scalar()]) {
        node.force_insert(item.first, item.second);
      }
    }
  }
  return {};
}

}  // namespace

Expected<void> resolve_yaml_merge_keys(YAML::Node& root, const std::filesystem::path& file) {
  return resolve_merges(root, file, 0);
}

Expected<void> check_yaml_bounds(const YAML::Node& root, const std::filesystem::path& file) {
  std::size_t count = 0;
  return check_bounds(root, file, 0, count);
}

Expected<YAML::Node> load_yaml_file(const std::filesystem::path& file) {
  QA_TRY_ASSIGN(const std::string content, util::read_file(file));
  try {
    YAML::Node root = YAML::Load(content);
    QA_TRY(check_yaml_bounds(root, file));
    QA_TRY(resolve_yaml_merge_keys(root, file));
    return root;
  } catch (const YAML::Exception& e) {
    return fail_as(ErrorKind::config, "cannot read {}: line {}, column {}: {}",
                   quote(file.string()), e.mark.line + 1, e.mark.column + 1, e.msg);
  }
}

}  // namespace qa::core
