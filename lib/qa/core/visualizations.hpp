#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <qa/util/error.hpp>

namespace qa::core {

// One entry of QA-Board's `outputs.visualizations` in qaboard.yaml: a file worth looking at.
//
//   outputs:
//     visualizations:
//     - name: Denoised              # optional, default: the path
//       path: denoised.png          # a pattern (below); entries without path are skipped
//       type: image/png             # optional, default: by the file's extension
//       default_hidden: true        # optional, default false: folded until asked for
//       display: single             # optional: single (default) | all | viewer
//       style: {width: 400px}       # QA-Board's web UI only; other keys are viewer parameters
//
// QA-Board matches `path` against the output files with path-to-regexp: `:name` stands for one
// path segment, `(regex)` for a regular expression, `*` for anything; the rest is literal. The
// qatools report matches whole paths (so `:frame/output.jpg` selects `3/output.jpg`).
//
// QA-Board's viewers only show output files. qatools adds paths that name a file of the run's
// input side, which the report copies next to the outputs: a path holding one of the
// placeholders of run.command, `{input_path}` (the run's input), `{rel_input_path}` (its path
// relative to the database), `{project_root}` or `{database}` (the inputs' database), e.g.
// `{input_path}` for the input and `{project_root}/data/clean/{rel_input_path}` for a ground
// truth. Such a path must resolve inside the project root or the database.
struct Visualization {
  std::string name;
  std::string path;  // empty: QA-Board's project-specific viewers; skipped by qatools
  std::string type;
  bool default_hidden = false;
  std::string display = "single";
  int line = 0;                               // in qaboard.yaml, for messages
  std::shared_ptr<const std::regex> pattern;  // `path` as a whole-path regular expression
};

// The values the placeholders of a run-file visualization take for one run.
struct VisualizationValues {
  std::filesystem::path input_path;  // absolute
  std::string rel_input_path;
  std::filesystem::path project_root;
  std::filesystem::path database;
};

// Return the visualizations of `node` (`outputs.visualizations`, null or absent: none) of the
// configuration file `file`. Errors name the file and line: `cannot read "qaboard.yaml": line
// 12: "outputs.visualizations[1].default_hidden" must be true or false`.
[[nodiscard]] Expected<std::vector<Visualization>> parse_visualizations(
    const YAML::Node& node, const std::filesystem::path& file);

// Return whether `visualization` names a file of the run's input side (its path holds a
// placeholder) rather than output files.
[[nodiscard]] bool names_run_file(const Visualization& visualization);

// Return whether the output file `output_path` (relative to the output folder, '/'-separated)
// matches the pattern of `visualization`; never for a run-file one.
[[nodiscard]] bool matches_output(const Visualization& visualization, std::string_view output_path);

// Return the file that the run-file `visualization` names for `values`, or nothing when it
// would leave both the project root and the database (`..`, or an absolute path elsewhere).
[[nodiscard]] std::optional<std::filesystem::path> visualization_file(
    const Visualization& visualization, const VisualizationValues& values);

}  // namespace qa::core
