#pragma once

#include <filesystem>

namespace qa::test {

// A fresh directory under $TMPDIR (or /tmp) for one test, removed at the end of the test unless
// the test failed (then its path is printed so it can be inspected).
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
  [[nodiscard]] std::filesystem::path operator/(const std::filesystem::path& rel) const {
    return m_path / rel;
  }

 private:
  std::filesystem::path m_path;
};

// Write `content` to `path`, creating parent folders.
void write_text(const std::filesystem::path& path, const std::string& content);

// Return the whole content of `path` (empty when it cannot be read).
std::string read_text(const std::filesystem::path& path);

}  // namespace qa::test
