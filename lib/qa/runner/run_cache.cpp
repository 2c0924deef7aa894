#include <qa/runner/run_cache.hpp>

#include <chrono>
#include <filesystem>
#include <string_view>

#include <qa/core/placeholders.hpp>
#include <qa/runner/plan.hpp>
#include <qa/util/hash_tree.hpp>
#include <qa/util/log.hpp>
#include <qa/util/path_glob.hpp>
#include <qa/util/time.hpp>

namespace qa::runner {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_key_schema = "qa.cache-key/1";

// The value of `{params.KEY}` (nested keys dotted) in `params`, or nothing.
const nlohmann::json* param_at(const nlohmann::json& params, std::string_view dotted) {
  const nlohmann::json* at = &params;
  while (true) {
    const std::size_t dot = dotted.find('.');
    const std::string name(dotted.substr(0, dot));
    if (!at->is_object() || !at->contains(name)) {
      return nullptr;
    }
    at = &(*at)[name];
    if (dot == std::string_view::npos) {
      return at;
    }
    dotted.remove_prefix(dot + 1);
  }
}

// Return the entry `dep` of run.deps with the placeholders of `spec` written as they are (a
// path, not a shell word). Other braces are left alone.
Expected<std::string> substitute_dep(std::string_view dep, const RunSpec& spec) {
  std::string out;
  std::size_t at = 0;
  while (at < dep.size()) {
    const std::size_t open = dep.find('{', at);
    const std::size_t close = open == std::string_view::npos ? open : dep.find('}', open);
    if (close == std::string_view::npos) {
      out += dep.substr(at);
      break;
    }
    out += dep.substr(at, open - at);
    const std::string_view name = dep.substr(open + 1, close - open - 1);
    if (name == "rel_input_path") {
      out += spec.rel_input_path;
    } else if (name == "label") {
      out += spec.label;
    } else if (name == "configs") {
      out += core::configs_text(spec.configs);
    } else if (name.starts_with("params.")) {
      const auto* value = param_at(spec.params, name.substr(7));
      if (value == nullptr) {
        return fail("cannot resolve \"run.deps\" entry {}: the run has no parameter {}", quote(dep),
                    quote(name.substr(7)));
      }
      out += core::param_text(*value);
    } else {
      out += dep.substr(open, close - open + 1);
    }
    at = close + 1;
  }
  return out;
}

// Add the files under the folder `dir` to `out`, named `prefix` + their path in it.
Expected<void> add_folder(const fs::path& dir, const std::string& prefix, util::HashCache* cache,
                          nlohmann::json& out) {
  QA_TRY_ASSIGN(const auto listing, util::scan_tree(dir));
  QA_TRY_ASSIGN(const auto hashed, util::hash_files(dir, listing.files, 0, cache, listing.stats));
  for (const auto& file : hashed) {
    out[prefix + file.rel_path] = file.digest.hash.hex();
  }
  return {};
}

// Add what `path` names (a file, or the files of a folder) to `out` under `name`.
Expected<void> add_path(const fs::path& path, const std::string& name, util::HashCache* cache,
                        nlohmann::json& out) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return add_folder(path, name.empty() ? name : name + "/", cache, out);
  }
  QA_TRY_ASSIGN(const auto digest, util::hash_file_cached(path, cache));
  out[name] = digest.hash.hex();
  return {};
}

// The files one entry of run.deps names, by their path relative to `root` (absolute outside).
Expected<nlohmann::json> dep_files(const fs::path& root, const std::string& dep,
                                   util::HashCache* cache) {
  nlohmann::json files = nlohmann::json::object();
  const bool absolute = dep.starts_with('/');
  const fs::path base = absolute ? fs::path("/") : root;
  for (const auto& found : util::glob_under(base, absolute ? dep.substr(1) : dep)) {
    const fs::path relative = found.lexically_relative(root);
    const bool inside = !relative.empty() && *relative.begin() != "..";
    QA_TRY(
        add_path(found, inside ? relative.generic_string() : found.generic_string(), cache, files));
  }
  return files;
}

}  // namespace

std::unique_ptr<util::HashCache> load_key_hash_cache(const ProjectContext& context) {
  if (context.config.run.deps.empty()) {
    return nullptr;
  }
  const auto file = util::HashCache::default_location();
  return file ? util::HashCache::load(*file) : nullptr;
}

void save_key_hash_cache(util::HashCache* hash_cache) {
  if (hash_cache == nullptr) {
    return;
  }
  if (auto saved = hash_cache->save(); !saved) {
    util::log::warning("{}", saved.error().message);
  }
}

Expected<std::optional<std::string>> run_cache_key(const ProjectContext& context,
                                                   const RunSpec& spec,
                                                   const std::vector<std::string>& extra_args,
                                                   util::HashCache* hash_cache) {
  const auto& run = context.config.run;
  if (run.deps.empty()) {
    return std::optional<std::string>();
  }
  nlohmann::json document{
      {"schema", k_key_schema}, {"postprocess", run.postprocess}, {"extra_args", extra_args},
      {"label", spec.label},    {"params", spec.params},          {"configs", spec.configs},
      {"env", run.env}};
  if (run.command.empty()) {
    document["command"] = {
        {"entrypoint",
         context.config.entrypoint.lexically_relative(context.config.root).generic_string()}};
  } else {
    document["command"] = run.command;
  }
  nlohmann::json input = nlohmann::json::object();
  QA_TRY(add_path(spec.input_path, "", hash_cache, input));
  document["input"] = std::move(input);
  nlohmann::json deps = nlohmann::json::object();
  for (const auto& entry : run.deps) {
    QA_TRY_ASSIGN(const std::string dep, substitute_dep(entry, spec));
    QA_TRY_ASSIGN(deps[dep], dep_files(context.config.root, dep, hash_cache));
  }
  document["deps"] = std::move(deps);
  return std::optional<std::string>(util::hash_bytes(document.dump()).hex());
}

Expected<std::optional<core::RunRecord>> cached_record(const ProjectContext& context,
                                                       store::Store& store, const RunSpec& spec,
                                                       const std::string& cache_key) {
  QA_TRY_ASSIGN(const auto entry, store.get_cache_entry(context.config.name, cache_key));
  if (!entry) {
    return std::optional<core::RunRecord>();
  }
  // The run's own record (one small read) before its commit's packs (which hold the whole batch).
  QA_TRY_ASSIGN(auto source, store.get_single_run(context.config.name, entry->commit, entry->key));
  if (!source) {
    QA_TRY_ASSIGN(source, store.get_run(context.config.name, entry->commit, entry->key));
  }
  if (!source || !core::succeeded(source->status) || source->cache_key != cache_key) {
    util::log::debug("cache entry of {} names {} at {}, which is not an ok run of this key",
                     spec.key, entry->key, entry->commit.substr(0, 12));
    return std::optional<core::RunRecord>();
  }
  core::RunRecord record = planned_record(context, spec);
  record.status = core::RunStatus::cached;
  record.cache_key = cache_key;
  record.cached_from = source->cached_from.empty() ? source->commit : source->cached_from;
  record.exit_code = source->exit_code;
  record.metrics = std::move(source->metrics);
  record.badges = std::move(source->badges);
  record.links = std::move(source->links);
  record.timing = source->timing;
  record.files = std::move(source->files);
  record.log = std::move(source->log);
  record.started_at = util::rfc3339(std::chrono::system_clock::now());
  record.host = util::host_name();
  return std::optional<core::RunRecord>(std::move(record));
}

}  // namespace qa::runner
