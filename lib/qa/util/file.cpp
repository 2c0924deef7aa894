#include <qa/util/file.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <qa/util/atomic_file.hpp>
#include <qa/util/unique_fd.hpp>

namespace qa::util {

namespace fs = std::filesystem;

Expected<std::string> read_file(const fs::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    return fail_as(ErrorKind::io, "cannot read {}: {}", quote(path.string()), std::strerror(errno));
  }
  return read_fd(fd.get(), quote(path.string()));
}

Expected<std::string> read_fd(int fd, std::string_view name) {
  // Read straight into the string: sized once for a file (plus a byte, to see its end), grown
  // by half for a pipe.
  std::string content;
  std::size_t size = 0;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    content.resize(static_cast<std::size_t>(st.st_size) + 1);
  } else {
    content.resize(std::size_t{1} << 16);
  }
  while (true) {
    if (size == content.size()) {
      content.resize(content.size() + content.size() / 2);
    }
    const ssize_t n = ::read(fd, content.data() + size, content.size() - size);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail_as(ErrorKind::io, "cannot read {}: {}", name, std::strerror(errno));
    }
    if (n == 0) {
      content.resize(size);
      return content;
    }
    size += static_cast<std::size_t>(n);
  }
}

Expected<void> create_dirs(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) {
    return fail_as(ErrorKind::io, "cannot create folder {}: {}", quote(dir.string()),
                   ec ? ec.message() : std::string("a file is in the way"));
  }
  return {};
}

Expected<void> copy_file_atomic(const fs::path& source, const fs::path& destination,
                                unsigned mode) {
  UniqueFd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) {
    return fail_as(ErrorKind::io, "cannot read {}: {}", quote(source.string()),
                   std::strerror(errno));
  }
  QA_TRY_ASSIGN(auto out, AtomicFile::create(destination, mode));
  QA_TRY(out.write_from(in.get()));
  return out.commit(Fsync::no);
}

}  // namespace qa::util
