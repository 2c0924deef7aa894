#include "file.hpp"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace example {

std::string describe_errno(int errnum) {
  std::string text = std::strerror(errnum);
  if (!text.empty()) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

void write_file(const std::string& path, std::string_view data) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    throw std::runtime_error("cannot write \"" + path + "\": " + describe_errno(errno));
  }
  bool ok = std::fwrite(data.data(), 1, data.size(), file) == data.size();
  int errnum = ok ? 0 : errno;
  if (std::fclose(file) != 0 && ok) {
    ok = false;
    errnum = errno;
  }
  if (!ok) {
    std::remove(path.c_str());
    throw std::runtime_error("cannot write \"" + path +
                             "\": " + describe_errno(errnum != 0 ? errnum : EIO));
  }
}

}  // namespace example
