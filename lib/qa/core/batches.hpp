#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <qa/core/config.hpp>
#include <qa/core/slurm_options.hpp>
#include <qa/util/error.hpp>

namespace qa::core {

// Where inputs are found when a batch does not say otherwise: qaboard.yaml's `inputs` (its
// database, globs, use_parent_folder, default configurations and input types).
struct InputDefaults {
  std::filesystem::path project_root;
  ProjectConfig::Inputs inputs;
};

// One run of an expanded batch, before labels, parameters and keys are applied.
struct BatchRun {
  std::string batch;                                 // the batch (or requested path) it comes from
  std::filesystem::path database;                    // absolute
  std::string input;                                 // relative to `database`, `/`-separated
  nlohmann::json configs = nlohmann::json::array();  // names and parameter maps, in order
  std::string type = "default";                      // the input type (inputs.types)
  SlurmOptions slurm;  // the batch's `slurm:` block, over runners.slurm (--runner slurm)
  // The batch's `reference:` (a milestone, tag, branch or sha) its runs compare with unless
  // --reference says otherwise; empty: none (auto).
  std::string reference;
};

// The most batch names the aliases of one requested name may list, repeats and nested aliases
// counted: nine aliases of nine names each already list 9^9.
inline constexpr std::size_t k_max_alias_members = 10'000;

// The batches files of a project, in QA-Board's format (SPEC section 3), merged: a later file's
// batch replaces an earlier one's.
class Batches {
 public:
  // Read `files` (paths or glob patterns; a pattern matching nothing is not an error, a missing
  // plain path is). Errors name the file and the line.
  [[nodiscard]] static Expected<Batches> load(const std::vector<std::filesystem::path>& files,
                                              const std::filesystem::path& project_root);

  // Expand the batches, aliases or input paths `names`, in order, into runs. Aliases resolve
  // recursively (a cycle is an error naming it); a name that is neither a batch nor an alias is
  // an input path or glob under the default database, and an error with a suggestion when
  // nothing matches it. More than k_max_plan_runs runs (matrix.hpp), or aliases naming more
  // than k_max_alias_members batches, is an error. Errors name the file, the line and the batch.
  [[nodiscard]] Expected<std::vector<BatchRun>> expand(const std::vector<std::string>& names,
                                                       const InputDefaults& defaults) const;

  // Return the batch and alias names, sorted.
  [[nodiscard]] std::vector<std::string> names() const;

 private:
  struct Definition {
    std::filesystem::path file;
    YAML::Node node;
    std::filesystem::path file_database;  // the file's `database`, empty when none
  };
  struct Alias {
    std::filesystem::path file;
    YAML::Node node;
  };

  // The state of resolving one requested name: the aliases being resolved, the members visited
  // (at most k_max_alias_members) and each alias's members, converted once.
  struct Resolution {
    std::vector<std::string> chain;
    std::size_t steps = 0;
    std::map<std::string, nlohmann::json> members;
  };

  // Append the batch names `name` stands for to `out`.
  [[nodiscard]] Expected<void> resolve(const std::string& name, Resolution& resolution,
                                       std::vector<std::string>& out) const;
  [[nodiscard]] Expected<std::vector<BatchRun>> expand_batch(const std::string& name,
                                                             const Definition& definition,
                                                             const InputDefaults& defaults) const;

  std::map<std::string, Definition> m_batches;
  std::map<std::string, Alias> m_aliases;
  // Top-level entries that are no batch (a list, a value, or a map holding no batch key, such
  // as a block of settings kept for YAML anchors): named when they are requested.
  struct NotBatch {
    std::filesystem::path file;
    YAML::Node key;
    YAML::Node value;
  };
  std::map<std::string, NotBatch> m_not_batches;
  std::vector<std::filesystem::path> m_files;
};

// The inputs that one path of a batch stands for.
struct InputPaths {
  std::filesystem::path database;   // the database, or `/` for an absolute path
  std::vector<std::string> inputs;  // relative to `database`, `/`-separated, sorted
};

// Return the inputs that `path` stands for, by QA-Board's rules (SPEC section 3): `path` is
// relative to `database` (an absolute path is relative to `/`, which becomes the database) and
// may be a glob pattern (`**` for any number of folders); an empty path is `*`, every entry of
// the database. Without `globs`, each path it names is an input, file or folder. With `globs`,
// a folder gives every file or folder under it whose path matches one of them (`**/<glob>`, as
// pathlib's rglob), or with `use_parent_folder` the folders holding them; a named path that
// matches a glob itself is an input. A path that names nothing existing, or leads outside the
// database, is an error; one whose files all fail the globs gives no input.
[[nodiscard]] Expected<InputPaths> expand_input_path(const std::filesystem::path& database,
                                                     const std::string& path,
                                                     const std::vector<std::string>& globs,
                                                     bool use_parent_folder);

}  // namespace qa::core
