#pragma once

#include <filesystem>

#include "support/process.hpp"

namespace qa::test {

#ifdef QA_EXAMPLES_BIN_DIR
// Copy the example project of examples/denoise into `root` (qaboard.yaml, qa/, .gitignore and
// the built programs under build/) and make its images under data/; the caller commits. Inline:
// QA_EXAMPLES_BIN_DIR (the build's examples/denoise) is defined by the test programs that use it.
inline void copy_example_project(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  const fs::path source = fs::path(QA_SOURCE_DIR) / "examples" / "denoise";
  fs::copy(source / "qaboard.yaml", root / "qaboard.yaml");
  fs::copy(source / "qa", root / "qa", fs::copy_options::recursive);
  fs::copy(source / ".gitignore", root / ".gitignore");
  fs::create_directories(root / "build");
  for (const char* program : {"denoise", "psnr", "make-images"}) {
    fs::copy(fs::path(QA_EXAMPLES_BIN_DIR) / program, root / "build" / program);
  }
  sh("build/make-images data >/dev/null", root);
}
#endif

}  // namespace qa::test
