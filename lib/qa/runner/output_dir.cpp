#include <qa/runner/output_dir.hpp>

#include <sys/stat.h>

#include <qa/util/atomic_file.hpp>
#include <qa/util/file.hpp>
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

}  // namespace

const std::set<std::string>& reserved_output_names() {
  static const std::set<std::string> names{k_output_marker, k_log_file_name};
  return names;
}

Expected<void> prepare_output_dir(const fs::path& dir, KeepPrevious keep,
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
    const bool empty = holds_only_leftovers(dir);
    if (!empty && !fs::exists(dir / k_output_marker, ec)) {
      return fail("refusing to empty {}: it was not made by qa-run (no {} file); remove it or "
                  "choose another --output-dir",
                  quote(dir.string()), k_output_marker);
    }
    if (keep == KeepPrevious::no) {
      for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.path().filename() != k_output_marker) {
          fs::remove_all(entry.path(), ec);
          if (ec) {
            return fail("cannot empty output folder {}: {}", quote(dir.string()),
                        ec.message());
          }
        }
      }
    } else {
      fs::remove(dir / k_log_file_name, ec);
      QA_TRY(unshare_links(dir));
    }
  }
  QA_TRY(util::create_dirs(dir));
  if (fs::exists(dir / k_output_marker, ec)) {
    return {};  // kept when the folder was emptied
  }
  return util::write_file_atomic(dir / k_output_marker,
                                 "This folder holds the outputs of a qa-run; qa-run empties it "
                                 "before each run.\n",
                                 util::Fsync::no);
}

}  // namespace qa::runner
