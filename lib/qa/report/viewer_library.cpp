#include <qa/report/viewer_library.hpp>

#include <qa/util/env.hpp>

#ifndef QA_SOURCE_VIEWERS_DIR
#error "QA_SOURCE_VIEWERS_DIR must name lib/qa/report/viewers of the source tree"
#endif

namespace qa::report {

namespace fs = std::filesystem;

namespace {

bool holds(const fs::path& dir, std::string_view file) {
  std::error_code error;
  return fs::is_regular_file(dir / file, error);
}

}  // namespace

std::optional<fs::path> viewers_dir(std::string_view file) {
  if (const auto dir = util::env_value("QA_VIEWERS_DIR")) {
    return holds(*dir, file) ? std::optional<fs::path>(*dir) : std::nullopt;
  }
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    const fs::path installed =
        (exe.parent_path() / ".." / "share" / "qatools" / "viewers").lexically_normal();
    if (holds(installed, file)) {
      return installed;
    }
  }
  const fs::path source =
      fs::path(QA_SOURCE_VIEWERS_DIR) / "node_modules" / "plotly.js-strict-dist-min";
  if (holds(source, file)) {
    return source;
  }
  return std::nullopt;
}

}  // namespace qa::report
