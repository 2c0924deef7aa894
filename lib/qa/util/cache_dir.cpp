#include <qa/util/cache_dir.hpp>

#include <string>

#include <qa/util/env.hpp>

namespace qa::util {

namespace fs = std::filesystem;

std::optional<fs::path> user_cache_home() {
  if (const auto xdg = env_value("XDG_CACHE_HOME")) {
    return fs::path(*xdg);
  }
  if (const auto home = env_value("HOME")) {
    return fs::path(*home) / ".cache";
  }
  return std::nullopt;
}

std::optional<fs::path> qa_cache_folder(std::string_view name) {
  if (const auto dir = env_value("QA_CACHE_DIR")) {
    return fs::path(*dir) / name;
  }
  if (const auto home = user_cache_home()) {
    return *home / ("qatools-" + std::string(name));
  }
  return std::nullopt;
}

}  // namespace qa::util
