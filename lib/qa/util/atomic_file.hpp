#pragma once

#include <filesystem>
#include <functional>
#include <string_view>

#include <qa/util/error.hpp>
#include <qa/util/unique_fd.hpp>

namespace qa::util {

enum class Fsync { no, yes };

// A file written under a temporary name in the destination folder and renamed over `path` by
// `commit()`, so that readers see either the old content or the whole new one, never a part.
// The destructor removes the temporary file when `commit()` was not called or failed.
class AtomicFile {
 public:
  // Create the temporary file next to `path` with permissions `mode` (exactly: the umask does
  // not apply).
  [[nodiscard]] static Expected<AtomicFile> create(const std::filesystem::path& path,
                                                   unsigned mode = 0644);
  ~AtomicFile();
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  [[nodiscard]] Expected<void> write(std::string_view data);
  // Copy the content of the open file descriptor `source_fd` (read to its end).
  [[nodiscard]] Expected<void> write_from(int source_fd);
  // Flush (and with `fsync` yes, sync the data and the folder), then rename over the destination.
  [[nodiscard]] Expected<void> commit(Fsync fsync);
  // Like commit, but never replace an existing destination: link the temp file to `path`
  // (failing with EEXIST there is success, the existing file is kept) and remove the temp name.
  [[nodiscard]] Expected<void> commit_no_replace(Fsync fsync);

  [[nodiscard]] const std::filesystem::path& temp_path() const { return m_temp_path; }
  // The open temporary file, for writes that `write` and `write_from` do not cover (a reflink).
  [[nodiscard]] int fd() const { return m_fd.get(); }

 private:
  AtomicFile(std::filesystem::path path, std::filesystem::path temp_path, UniqueFd fd);
  [[nodiscard]] Expected<void> finish(Fsync fsync);

  std::filesystem::path m_path;
  std::filesystem::path m_temp_path;
  UniqueFd m_fd;
  bool m_committed = false;
};

// Write `content` to `path` atomically (see AtomicFile), creating the parent folders.
[[nodiscard]] Expected<void> write_file_atomic(const std::filesystem::path& path,
                                               std::string_view content, Fsync fsync,
                                               unsigned mode = 0644);

// Write `path` atomically like write_file_atomic, from the pieces that `produce` passes to the
// sink it is given (buffered): for files too big to assemble in memory first.
using Producer = std::function<void(const std::function<void(std::string_view)>& sink)>;
[[nodiscard]] Expected<void> write_file_atomic_streamed(const std::filesystem::path& path,
                                                        const Producer& produce, Fsync fsync,
                                                        unsigned mode = 0644);

// Sync the folder `dir` so that a rename inside it survives a crash.
[[nodiscard]] Expected<void> fsync_dir(const std::filesystem::path& dir);

}  // namespace qa::util
