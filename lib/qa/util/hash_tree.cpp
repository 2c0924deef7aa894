#include <qa/util/hash_tree.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <numeric>
#include <optional>
#include <thread>

namespace qa::util {

namespace fs = std::filesystem;

Expected<std::vector<std::string>> list_tree(const fs::path& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return fail("cannot list {}: not a folder", quote(root.string()));
  }
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
  if (ec) {
    return fail("cannot list {}: {}", quote(root.string()), ec.message());
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      return fail("cannot list {}: {}", quote(root.string()), ec.message());
    }
    if (it->is_regular_file(ec) && !it->is_symlink(ec)) {
      files.push_back(it->path().lexically_relative(root).generic_string());
    }
  }
  if (ec) {
    return fail("cannot list {}: {}", quote(root.string()), ec.message());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Expected<std::vector<TreeFile>> hash_files(const fs::path& root_arg,
                                           const std::vector<std::string>& rel_paths,
                                           std::size_t threads, HashCache* cache) {
  // Absolute once, so that no per-file lookup asks for the current folder.
  const fs::path root = fs::absolute(root_arg).lexically_normal();
  std::vector<TreeFile> result(rel_paths.size());
  if (rel_paths.empty()) {
    return result;
  }
  // Largest first, so that one big file met last does not leave the other workers idle.
  std::vector<std::size_t> order(rel_paths.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::vector<std::uintmax_t> sizes(rel_paths.size(), 0);
  for (std::size_t i = 0; i < rel_paths.size(); ++i) {
    std::error_code ec;
    sizes[i] = fs::file_size(root / rel_paths[i], ec);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return sizes[a] > sizes[b]; });

  if (threads == 0) {
    threads = std::max(1U, std::thread::hardware_concurrency());
  }
  threads = std::min(threads, rel_paths.size());

  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::optional<Error> first_error;
  auto work = [&] {
    while (!failed.load(std::memory_order_relaxed)) {
      const std::size_t slot = next.fetch_add(1, std::memory_order_relaxed);
      if (slot >= order.size()) {
        return;
      }
      const std::size_t i = order[slot];
      auto digest = hash_file_cached(root / rel_paths[i], cache);
      if (!digest) {
        const std::lock_guard lock(error_mutex);
        if (!first_error) {
          first_error = digest.error();
        }
        failed = true;
        return;
      }
      result[i] = TreeFile{rel_paths[i], *digest};
    }
  };
  {
    std::vector<std::jthread> workers;
    for (std::size_t t = 1; t < threads; ++t) {
      workers.emplace_back(work);
    }
    work();
  }
  if (first_error) {
    return tl::unexpected<Error>(*first_error);
  }
  return result;
}

}  // namespace qa::util
