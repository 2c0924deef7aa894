#include <qa/util/hash_tree.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace qa::util {

namespace fs = std::filesystem;

Expected<TreeListing> scan_tree(const fs::path& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return fail("cannot list {}: not a folder", quote(root.string()));
  }
  const auto failed = [&] {
    return fail("cannot list {}: {}", quote(root.string()), ec.message());
  };
  TreeListing listing;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  if (ec) {
    return failed();
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      return failed();
    }
    // The entry's own type (lstat): a symbolic link is skipped, whatever it points to.
    const fs::file_status status = it->symlink_status(ec);
    if (ec) {
      return failed();
    }
    if (fs::is_directory(status)) {
      continue;
    }
    std::string rel = it->path().lexically_relative(root).generic_string();
    if (fs::is_regular_file(status)) {
      listing.files.push_back(std::move(rel));
    } else {
      listing.skipped.push_back(std::move(rel));
    }
  }
  if (ec) {
    return failed();
  }
  std::sort(listing.files.begin(), listing.files.end());
  std::sort(listing.skipped.begin(), listing.skipped.end());
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
                                           std::size_t threads, HashCache* cache) {
  // Absolute once, so that no per-file lookup asks for the current folder.
  const fs::path root = fs::absolute(root_arg).lexically_normal();
  std::vector<TreeFile> result(rel_paths.size());
  if (threads == 0) {
    threads = std::max(1U, std::thread::hardware_concurrency());
  }

  // First pass, in parallel: one stat per file gives its size, and its digest when the cache
  // still holds it.
  std::vector<std::uint64_t> sizes(rel_paths.size(), 0);
  std::vector<char> cached(rel_paths.size(), 0);
  QA_TRY(parallel_for(rel_paths.size(), threads, [&](std::size_t i) -> Expected<void> {
    const fs::path path = root / rel_paths[i];
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      return {};  // the second pass reports it
    }
    sizes[i] = static_cast<std::uint64_t>(st.st_size);
    if (cache != nullptr) {
      if (auto hit = cache->lookup(path.string(), st)) {
        result[i] = TreeFile{rel_paths[i], *hit};
        cached[i] = 1;
      }
    }
    return {};
  }));

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
