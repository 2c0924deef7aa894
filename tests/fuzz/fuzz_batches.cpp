// Fuzz the batches file parser (QA-Board's format) and the expansion of what it loads: every
// batch and alias it defines, and a few fixed names, are expanded as qa-batch does
// (runner/plan.cpp) against a small input tree made once in the temporary folder. An input that
// names a database elsewhere (an absolute path, `..`, `~` or a variable) is only loaded: its
// expansion would walk the machine's file system; so is one whose lists multiply past
// k_max_estimated_runs (see there). An expansion refused as too large is an error, which is fine.

#include <qa/core/batches.hpp>
#include <qa/core/yaml_schema.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "fuzz_target.hpp"

namespace {

namespace fs = std::filesystem;

constexpr std::size_t k_max_single_names = 8;

// The most runs an input may be estimated to give for its batches to be expanded. Inputs, matrix
// lists and aliases multiply: a few lines reach the library's k_max_plan_runs (a million runs),
// which takes seconds to build under ASan. Those limits have their unit tests (batches_test.cpp)
// and seeds here; the fuzzer explores what stays small.
constexpr double k_max_estimated_runs = 30'000;

// The files of the input tree (project()).
constexpr double k_tree_files = 17;

// Return the length of `node` as a list (a map counts its entries, anything else, or nothing,
// is one).
double length(const YAML::Node& node) {
  if (!node.IsDefined()) {
    return 1;  // a missing key
  }
  return node.IsSequence() || node.IsMap() ? std::max<double>(1, static_cast<double>(node.size()))
                                           : 1;
}

// Return an upper bound of the runs that expanding every name of `root` (a batches file that has
// passed check_yaml_bounds) gives: the sum over its batches of inputs times matrix combinations
// times the files of the tree, times the product of its alias lists' lengths.
double estimate_runs(const YAML::Node& root) {
  if (!root.IsMap()) {
    return 0;
  }
  double runs = 0;
  double aliases = 1;
  for (const auto& item : root) {
    const std::string name = item.first.IsScalar() ? item.first.Scalar() : std::string();
    if (name == "aliases" || name == "groups") {
      if (item.second.IsMap()) {
        for (const auto& alias : item.second) {
          aliases = std::min(aliases * length(alias.second), 1e12);
        }
      }
      continue;
    }
    double batch = k_tree_files;
    if (item.second.IsMap()) {
      for (const char* key : {"inputs", "tests"}) {
        batch *= length(item.second[key]);
      }
      if (const YAML::Node matrix = item.second["matrix"]; matrix.IsDefined() && matrix.IsMap()) {
        for (const auto& values : matrix) {
          batch = std::min(batch * length(values.second), 1e12);
        }
      }
    }
    runs += batch;
  }
  return runs * aliases;
}

// The project folder (the temporary folder, holding the batches file) with its database `db`,
// made on first use: files in subfolders, with spaces, glob characters, unicode, a line break
// and a leading dot in their names, and an empty folder.
const fs::path& project() {
  static const fs::path root = [] {
    for (const char* file :
         {"a.png", "b.jpg", "images/c.png", "images/sub/d.png", "images/notes.txt",
          "scenes/s1/f.raw", "scenes/s2/f.raw", "odd/with space.png", "odd/star*.png",
          "odd/[brackets].png", "odd/question?.png", "odd/\xc3\xa9t\xc3\xa9.png",
          "odd/line\nbreak.png", "odd/.hidden.png", "odd/-dash.png", ".dot/x.png",
          "deep/1/2/3/4/e.png"}) {
      (void)qa::fuzz::write_temp_file(fs::path("db") / file, "input");
    }
    fs::create_directories(qa::fuzz::temp_folder() / "db/empty");
    return qa::fuzz::temp_folder();
  }();
  return root;
}

// Return whether `text`, a `database` value, stays in the project folder once resolved.
bool stays_inside(const std::string& text) {
  return !text.starts_with('/') && !text.starts_with('~') && text.find('$') == std::string::npos &&
         text.find("..") == std::string::npos;
}

// Return whether every `database` key of `node`, at any depth, names a folder in the project.
// `node` has passed check_yaml_bounds, so the walk is bounded.
bool databases_inside(const YAML::Node& node) {
  if (node.IsMap()) {
    for (const auto& item : node) {
      if (item.first.IsScalar() && item.first.Scalar() == "database" &&
          (!item.second.IsScalar() || !stays_inside(item.second.Scalar()))) {
        return false;
      }
      if (!databases_inside(item.first) || !databases_inside(item.second)) {
        return false;
      }
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) {
      if (!databases_inside(item)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fs::path& root = project();
  const auto file = qa::fuzz::write_input_file(data, size, "batches.yaml");
  const auto batches = qa::core::Batches::load({file}, root);
  if (!batches) {
    return 0;
  }
  const auto yaml = qa::core::load_yaml_file(file);  // loads, as Batches::load did
  if (!yaml || !databases_inside(*yaml)) {
    return 0;
  }
  if (estimate_runs(*yaml) > k_max_estimated_runs) {
    return 0;
  }
  qa::core::InputDefaults defaults{root, {}};
  defaults.inputs.database = root / "db";
  defaults.inputs.globs = {"*.png", "*.raw"};
  std::vector<std::string> names = batches->names();
  for (const char* fixed : {"images", "odd/*.png", "missing"}) {
    names.emplace_back(fixed);
  }
  // Each name alone (the first few: a file may define thousands), then all of them at once.
  for (std::size_t i = 0; i < names.size() && i < k_max_single_names; ++i) {
    [[maybe_unused]] const auto runs = batches->expand({names[i]}, defaults);
  }
  [[maybe_unused]] const auto all = batches->expand(names, defaults);
  qa::core::InputDefaults parents{root, {}};
  parents.inputs.database = root / "db";
  parents.inputs.use_parent_folder = true;
  [[maybe_unused]] const auto folders = batches->expand(names, parents);
  return 0;
}
