// Fuzz the batches file parser (QA-Board's format) and the expansion of what it loads: every
// batch and alias it defines, and a few fixed names, are expanded as qa-batch does
// (runner/plan.cpp) against a small input tree made once in the temporary folder. An input that
// names a database elsewhere (an absolute path, `..`, `~` or a variable) is only loaded: its
// expansion would walk the machine's file system. An expansion refused as too large is an
// error, which is fine; one that takes seconds or gigabytes is a bug (see k_max_batch_runs).

#include <qa/core/batches.hpp>
#include <qa/core/yaml_schema.hpp>

#include <string>
#include <vector>

#include "fuzz_target.hpp"

namespace {

namespace fs = std::filesystem;

constexpr std::size_t k_max_single_names = 8;

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
  const qa::core::InputDefaults defaults{root, root / "db", {"*.png", "*.raw"}, false};
  std::vector<std::string> names = batches->names();
  for (const char* fixed : {"images", "odd/*.png", "missing"}) {
    names.emplace_back(fixed);
  }
  // Each name alone (the first few: a file may define thousands), then all of them at once.
  for (std::size_t i = 0; i < names.size() && i < k_max_single_names; ++i) {
    [[maybe_unused]] const auto runs = batches->expand({names[i]}, defaults);
  }
  [[maybe_unused]] const auto all = batches->expand(names, defaults);
  const qa::core::InputDefaults parents{root, root / "db", {}, true};
  [[maybe_unused]] const auto folders = batches->expand(names, parents);
  return 0;
}
