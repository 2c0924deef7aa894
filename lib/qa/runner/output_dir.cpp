#include <qa/runner/output_dir.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include <qa/util/atomic_file.hpp>
#include <qa/util/file.hpp>
#include <qa/util/interrupt.hpp>
#include <qa/util/log.hpp>
#include <qa/util/path.hpp>

namespace qa::runner {

namespace fs = std::filesystem;

namespace {

// Replace every hard-linked file under `dir` by a private copy with the same content.
Expected<void> unshare_links(const fs::path& dir) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    struct stat st {};
    if (!it->is_regular_file() || it->is_symlink() || ::lstat(it->path().c_str(), &st) != 0 ||
        st.st_nlink < 2) {
      continue;
    }
    QA_TRY(util::copy_file_atomic(it->path(), it->path(), 0644));
  }
  if (ec) {
    return fail("cannot prepare output folder {}: {}", quote(dir.string()), ec.message());
  }
  return {};
}

// Return whether `dir` holds nothing but the temporary files of interrupted atomic writes (a
// run killed while it wrote the marker leaves `.tmp..qa-output.*`): such a folder is empty.
bool holds_only_leftovers(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.path().filename().string().starts_with(".tmp.")) {
      return false;
    }
  }
  return !ec;
}

constexpr std::string_view k_marker_text =
    "This folder holds the outputs of a qa-run; qa-run empties it before each run.\n";

// Open (creating it) the marker of the output folder `dir` and lock it, waiting while another
// process holds it.
Expected<OutputLock> lock_folder(const fs::path& dir) {
  const fs::path marker = dir / k_output_marker;
  util::UniqueFd fd(::open(marker.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
  if (!fd) {
    return fail("cannot lock output folder {}: {}", quote(dir.string()), std::strerror(errno));
  }
  bool said = false;
  while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      return fail("cannot lock output folder {}: {}", quote(dir.string()), std::strerror(errno));
    }
    if (util::interrupted()) {
      return tl::unexpected<Error>(Error{"interrupted", ErrorKind::interrupted});
    }
    if (!said) {
      util::log::info("waiting for output folder {}: another qa-run is writing it",
                      quote(dir.string()));
      said = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) == 0 && st.st_size == 0 &&
      ::write(fd.get(), k_marker_text.data(), k_marker_text.size()) < 0) {
    return fail("cannot mark output folder {}: {}", quote(dir.string()), std::strerror(errno));
  }
  return OutputLock(std::move(fd));
}

}  // namespace

const std::set<std::string>& reserved_output_names() {
  static const std::set<std::string> names{k_output_marker, k_log_file_name};
  return names;
}

Expected<void> prepare_output_root(const fs::path& root, const fs::path& dir) {
  std::error_code ec;
  if (!util::is_within(root, dir) || fs::exists(fs::symlink_status(root, ec))) {
    return {};
  }
  QA_TRY(util::create_dirs(root));
  return util::write_file_atomic(root / ".gitignore",
                                 "# Made by qatools: its run outputs are not versioned.\n*\n",
                                 util::Fsync::no);
}

Expected<OutputLock> prepare_output_dir(const fs::path& dir, KeepPrevious keep,
                                        const fs::path& protected_root) {
  std::error_code ec;
  if (util::is_within(dir, protected_root)) {
    return fail("refusing to use {} as an output folder: it holds the project {}",
                quote(dir.string()), quote(protected_root.string()));
  }
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) {
      return fail("cannot use output folder {}: it is a file", quote(dir.string()));
    }
    if (!holds_only_leftovers(dir) && !fs::exists(dir / k_output_marker, ec)) {
      return fail(
          "refusing to empty {}: it was not made by qa-run (no {} file); remove it or "
          "choose another --output-dir",
          quote(dir.string()), k_output_marker);
    }
  }
  QA_TRY(util::create_dirs(dir));
  QA_TRY_ASSIGN(auto lock, lock_folder(dir));
  if (keep == KeepPrevious::no) {
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().filename() != k_output_marker) {
        fs::remove_all(entry.path(), ec);
        if (ec) {
          return fail("cannot empty output folder {}: {}", quote(dir.string()), ec.message());
        }
      }
    }
  } else {
    fs::remove(dir / k_log_file_name, ec);
    QA_TRY(unshare_links(dir));
  }
  return lock;
}

}  // namespace qa::runner
