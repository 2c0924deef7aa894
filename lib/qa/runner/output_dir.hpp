#pragma once

#include <filesystem>
#include <set>
#include <string>

#include <qa/util/error.hpp>

namespace qa::runner {

enum class KeepPrevious { no, yes };

// Files qatools keeps in an output folder beside the run's outputs; they are not outputs.
inline constexpr const char* k_output_marker = ".qa-output";
inline constexpr const char* k_log_file_name = "qa-run.log";

// Return the names above, to leave out of manifests.
[[nodiscard]] const std::set<std::string>& reserved_output_names();

// Make `dir` ready for a run. A new folder is created and marked as an output folder. An
// existing one is emptied, unless `keep` is yes; then files it shares with the store (hard
// links) are replaced by private copies so that a program writing in place cannot alter a
// stored blob. The previous log is always removed. A folder that is not empty and was not made
// by qatools (no marker), or that holds `protected_root`, is refused: nothing is deleted.
[[nodiscard]] Expected<void> prepare_output_dir(const std::filesystem::path& dir, KeepPrevious keep,
                                                const std::filesystem::path& protected_root);

}  // namespace qa::runner
