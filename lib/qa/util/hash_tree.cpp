#include <qa/util/hash_tree.hpp>

#include <qa/util/unique_fd.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace qa::util {

namespace fs = std::filesystem;

namespace {

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};
using DirStream = std::unique_ptr<DIR, DirCloser>;

// A regular file found by scan_tree.
struct FoundFile {
  std::string rel_path;
  FileStat stat;
};

// What scan_folder gathers, and the root that errors name.
struct Scan {
  const fs::path& root;
  std::vector<FoundFile> files;
  std::vector<std::string> skipped;
};

tl::unexpected<Error> scan_error(const Scan& scan) {
  return fail("cannot list {}: {}", quote(scan.root.string()), std::strerror(errno));
}

// Add what is under the folder open as `fd` (owned), whose path under the root is `prefix`
// (empty, or ending with `/`), to `scan`. Entries are read first, then stat'ed and descended into
// relative to `fd`: the names are resolved in this very folder, never through a link.
Expected<void> scan_folder(UniqueFd fd, const std::string& prefix, Scan& scan) {
  DirStream dir(::fdopendir(fd.get()));
  if (!dir) {
    return scan_error(scan);
  }
  const int dir_fd = fd.release();  // owned by `dir` now
  struct Entry {
    std::string name;
    unsigned char type;
  };
  std::vector<Entry> entries;
  while (true) {
    errno = 0;
    const dirent* entry = ::readdir(dir.get());
    if (entry == nullptr) {
      if (errno != 0) {
        return scan_error(scan);
      }
      break;
    }
    const std::string_view name(entry->d_name);
    if (name != "." && name != "..") {
      entries.push_back(Entry{std::string(name), entry->d_type});
    }
  }
  for (const Entry& entry : entries) {
    unsigned char type = entry.type;
    struct stat st {};
    // A regular file needs its stat anyway (the hash cache's key); an unknown type is asked for.
    if (type == DT_REG || type == DT_UNKNOWN) {
      if (::fstatat(dir_fd, entry.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        return scan_error(scan);
      }
      type = S_ISREG(st.st_mode) ? DT_REG : S_ISDIR(st.st_mode) ? DT_DIR : DT_UNKNOWN;
    }
    std::string rel = prefix + entry.name;
    if (type == DT_DIR) {
      UniqueFd sub(
          ::openat(dir_fd, entry.name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!sub) {
        return scan_error(scan);
      }
      QA_TRY(scan_folder(std::move(sub), rel + "/", scan));
    } else if (type == DT_REG) {
      scan.files.push_back(FoundFile{std::move(rel), FileStat::of(st)});
    } else {
      // A symbolic link (whatever it points to) or a special file.
      scan.skipped.push_back(std::move(rel));
    }
  }
  return {};
}

}  // namespace

Expected<TreeListing> scan_tree(const fs::path& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return fail("cannot list {}: not a folder", quote(root.string()));
  }
  Scan scan{root, {}, {}};
  // The root itself may be reached through a link; nothing under it is.
  UniqueFd fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) {
    return scan_error(scan);
  }
  QA_TRY(scan_folder(std::move(fd), "", scan));
  std::sort(scan.files.begin(), scan.files.end(),
            [](const FoundFile& a, const FoundFile& b) { return a.rel_path < b.rel_path; });
  std::sort(scan.skipped.begin(), scan.skipped.end());
  TreeListing listing;
  listing.files.reserve(scan.files.size());
  listing.stats.reserve(scan.files.size());
  for (auto& file : scan.files) {
    listing.files.push_back(std::move(file.rel_path));
    listing.stats.push_back(file.stat);
  }
  listing.skipped = std::move(scan.skipped);
  return listing;
}

Expected<std::vector<std::string>> list_tree(const fs::path& root) {
  QA_TRY_ASSIGN(auto listing, scan_tree(root));
  return std::move(listing.files);
}

namespace {

// Call `task(i)` for i in [0, count) on `threads` workers; stop at the first error and return it.
Expected<void> parallel_for(std::size_t count, std::size_t threads,
                            const std::function<Expected<void>(std::size_t)>& task) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::optional<Error> first_error;
  auto work = [&] {
    while (!failed.load(std::memory_order_relaxed)) {
      const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= count) {
        return;
      }
      if (auto done = task(i); !done) {
        const std::lock_guard lock(error_mutex);
        if (!first_error) {
          first_error = done.error();
        }
        failed = true;
        return;
      }
    }
  };
  {
    std::vector<std::jthread> workers;
    for (std::size_t t = 1; t < std::min(threads, count); ++t) {
      workers.emplace_back(work);
    }
    work();
  }
  if (first_error) {
    return tl::unexpected<Error>(*first_error);
  }
  return {};
}

}  // namespace

Expected<std::vector<TreeFile>> hash_files(const fs::path& root_arg,
                                           const std::vector<std::string>& rel_paths,
                                           std::size_t threads, HashCache* cache,
                                           std::span<const FileStat> stats) {
  // Absolute once, so that no per-file lookup asks for the current folder.
  const fs::path root = fs::absolute(root_arg).lexically_normal();
  std::vector<TreeFile> result(rel_paths.size());
  if (threads == 0) {
    threads = std::max(1U, std::thread::hardware_concurrency());
  }
  if (!stats.empty() && stats.size() != rel_paths.size()) {
    return fail("cannot hash the files of {}: {} stats for {} files", quote(root.string()),
                stats.size(), rel_paths.size());
  }
  // The cache's key of each file: its absolute path, as `root / rel` spells it.
  std::string prefix = root.string();
  if (!prefix.ends_with('/')) {
    prefix += '/';
  }

  // First pass: the size of each file, and its digest when the cache still holds it; one stat
  // per file (in parallel) unless `stats` already says.
  std::vector<std::uint64_t> sizes(rel_paths.size(), 0);
  std::vector<char> cached(rel_paths.size(), 0);
  const auto look_up = [&](std::size_t i, const FileStat& st, std::string& key) {
    sizes[i] = st.size;
    if (cache != nullptr) {
      key.resize(prefix.size());
      key += rel_paths[i];
      if (auto hit = cache->lookup(key, st)) {
        result[i] = TreeFile{rel_paths[i], *hit};
        cached[i] = 1;
      }
    }
  };
  if (!stats.empty()) {
    std::string key = prefix;  // one buffer for every key
    for (std::size_t i = 0; i < rel_paths.size(); ++i) {
      look_up(i, stats[i], key);
    }
  } else {
    QA_TRY(parallel_for(rel_paths.size(), threads, [&](std::size_t i) -> Expected<void> {
      std::string path = prefix + rel_paths[i];
      struct stat st {};
      if (::stat(path.c_str(), &st) == 0) {
        look_up(i, FileStat::of(st), path);
      }  // else the second pass reports it
      return {};
    }));
  }

  // Second pass: hash the others, largest first, so that one big file met last does not leave
  // the other workers idle.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < rel_paths.size(); ++i) {
    if (cached[i] == 0) {
      order.push_back(i);
    }
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return sizes[a] > sizes[b]; });
  QA_TRY(parallel_for(order.size(), threads, [&](std::size_t slot) -> Expected<void> {
    const std::size_t i = order[slot];
    QA_TRY_ASSIGN(const auto digest, hash_file_cached(root / rel_paths[i], cache));
    result[i] = TreeFile{rel_paths[i], digest};
    return {};
  }));
  return result;
}

}  // namespace qa::util
