#include "fuzz_target.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace qa::fuzz {

namespace {

// The process's temporary folder, removed when the process exits normally.
class TempFolder {
 public:
  TempFolder() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/qa-fuzz-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot make a temporary folder from \"" + pattern + "\"");
    }
    m_path = pattern;
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

}  // namespace

const std::filesystem::path& temp_folder() {
  static const TempFolder folder;
  return folder.path();
}

std::filesystem::path write_temp_file(const std::filesystem::path& path, std::string_view text) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(text.data());
  std::filesystem::create_directories((temp_folder() / path).parent_path());
  return write_input_file(data, text.size(), path.string());
}

std::filesystem::path write_input_file(const std::uint8_t* data, std::size_t size,
                                       std::string_view name) {
  std::filesystem::path path = temp_folder() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) {
    throw std::runtime_error("cannot write \"" + path.string() + "\"");
  }
  return path;
}

}  // namespace qa::fuzz
