#pragma once

#include <filesystem>
#include <set>
#include <string>

#include <qa/util/error.hpp>
#include <qa/util/unique_fd.hpp>

namespace qa::runner {

enum class KeepPrevious { no, yes };

// Files qatools keeps in an output folder beside the run's outputs; they are not outputs.
inline constexpr const char* k_output_marker = ".qa-output";
inline constexpr const char* k_log_file_name = "qa-run.log";

// Return the names above, to leave out of manifests.
[[nodiscard]] const std::set<std::string>& reserved_output_names();

// The exclusive right to write one output folder, held from prepare_output_dir until the run
// is recorded: an advisory lock (flock) on the folder's marker file, released when this is
// destroyed (or when the process dies, however it dies). Move-only.
class OutputLock {
 public:
  explicit OutputLock(util::UniqueFd fd) : m_fd(std::move(fd)) {}

 private:
  util::UniqueFd m_fd;
};

// Before `dir` is made, create the output root `root` that holds it when it does not exist yet,
// with a `.gitignore` holding `*` (as pytest does for its cache): `git add -A` after a run then
// adds no outputs, and the next commit's records are not `-dirty`. An existing root, or a `dir`
// outside `root` (--output-dir, --to), is left as it is.
[[nodiscard]] Expected<void> prepare_output_root(const std::filesystem::path& root,
                                                 const std::filesystem::path& dir);

// Make `dir` ready for a run and lock it. A new folder is created and marked as an output
// folder. When another process (a concurrent qa-run or qa-batch in the same checkout) holds the
// folder, wait for it, saying so once; an interrupt stops the wait. Then an existing folder is
// emptied, unless `keep` is yes; then files it shares with other paths (hard links, e.g. to the
// blobs of older stores) are replaced by private copies, so that a program writing in place
// alters nothing else. The previous log is always removed. A folder that is not empty and was
// not made by qatools (no marker), or that holds `protected_root`, is refused: nothing is
// deleted.
[[nodiscard]] Expected<OutputLock> prepare_output_dir(const std::filesystem::path& dir,
                                                      KeepPrevious keep,
                                                      const std::filesystem::path& protected_root);

}  // namespace qa::runner
