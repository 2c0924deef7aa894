#include <qa/util/atomic_file.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <random>

namespace qa::util {

namespace fs = std::filesystem;

namespace {

std::string random_suffix() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr std::string_view k_chars = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string suffix(10, 'x');
  for (auto& c : suffix) {
    c = k_chars[rng() % k_chars.size()];
  }
  return suffix;
}

tl::unexpected<Error> os_error(std::string_view what, const fs::path& path) {
  return fail_as(ErrorKind::io, "cannot {} {}: {}", what, quote(path.string()),
                 std::strerror(errno));
}

}  // namespace

AtomicFile::AtomicFile(fs::path path, fs::path temp_path, UniqueFd fd)
    : m_path(std::move(path)), m_temp_path(std::move(temp_path)), m_fd(std::move(fd)) {}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : m_path(std::move(other.m_path)),
      m_temp_path(std::move(other.m_temp_path)),
      m_fd(std::move(other.m_fd)),
      m_committed(std::exchange(other.m_committed, true)) {}

AtomicFile::~AtomicFile() {
  if (!m_committed && !m_temp_path.empty()) {
    ::unlink(m_temp_path.c_str());
  }
}

Expected<AtomicFile> AtomicFile::create(const fs::path& path, unsigned mode) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  for (int attempt = 0; attempt < 10; ++attempt) {
    fs::path temp = dir / (".tmp." + path.filename().string() + "." + random_suffix());
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
    if (fd) {
      // The mode is exact, whatever the umask: store blobs must be 0444 for everyone.
      if (::fchmod(fd.get(), static_cast<mode_t>(mode)) != 0) {
        ::unlink(temp.c_str());
        return os_error("write", path);
      }
      return AtomicFile(path, std::move(temp), std::move(fd));
    }
    if (errno != EEXIST) {
      return os_error("write", path);
    }
  }
  return fail("cannot write {}: no free temporary name", quote(path.string()));
}

Expected<void> AtomicFile::write(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(m_fd.get(), data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return os_error("write", m_path);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Expected<void> AtomicFile::write_from(int source_fd) {
  // In the kernel when it can (no copy through user space); else read and write.
  while (true) {
    const ssize_t n =
        ::copy_file_range(source_fd, nullptr, m_fd.get(), nullptr, std::size_t{1} << 30, 0);
    if (n == 0) {
      return {};
    }
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP ||
          errno == EBADF) {
        break;  // another filesystem or kind of file: copy what is left below
      }
      return fail("cannot copy into {}: {}", quote(m_path.string()), std::strerror(errno));
    }
  }
  std::array<char, 1 << 16> buffer{};
  while (true) {
    const ssize_t n = ::read(source_fd, buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail("cannot copy into {}: {}", quote(m_path.string()), std::strerror(errno));
    }
    if (n == 0) {
      return {};
    }
    QA_TRY(write(std::string_view(buffer.data(), static_cast<std::size_t>(n))));
  }
}

Expected<void> AtomicFile::finish(Fsync fsync) {
  if (fsync == Fsync::yes && ::fsync(m_fd.get()) != 0) {
    return os_error("sync", m_path);
  }
  m_fd.reset();
  return {};
}

Expected<void> AtomicFile::commit(Fsync fsync) {
  QA_TRY(finish(fsync));
  if (::rename(m_temp_path.c_str(), m_path.c_str()) != 0) {
    return os_error("write", m_path);
  }
  m_committed = true;
  if (fsync == Fsync::yes) {
    QA_TRY(fsync_dir(m_path.has_parent_path() ? m_path.parent_path() : fs::path(".")));
  }
  return {};
}

Expected<void> AtomicFile::commit_no_replace(Fsync fsync) {
  QA_TRY(finish(fsync));
  if (::link(m_temp_path.c_str(), m_path.c_str()) != 0 && errno != EEXIST) {
    return os_error("write", m_path);
  }
  ::unlink(m_temp_path.c_str());
  m_committed = true;
  if (fsync == Fsync::yes) {
    QA_TRY(fsync_dir(m_path.has_parent_path() ? m_path.parent_path() : fs::path(".")));
  }
  return {};
}

namespace {

// Create the folder that will hold `path`, and its parents.
Expected<void> create_parent(const fs::path& path) {
  if (path.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      return fail("cannot create folder {}: {}", quote(path.parent_path().string()), ec.message());
    }
  }
  return {};
}

}  // namespace

Expected<void> write_file_atomic(const fs::path& path, std::string_view content, Fsync fsync,
                                 unsigned mode) {
  QA_TRY(create_parent(path));
  QA_TRY_ASSIGN(auto file, AtomicFile::create(path, mode));
  QA_TRY(file.write(content));
  return file.commit(fsync);
}

Expected<void> write_file_atomic_streamed(const fs::path& path, const Producer& produce,
                                          Fsync fsync, unsigned mode) {
  QA_TRY(create_parent(path));
  QA_TRY_ASSIGN(auto file, AtomicFile::create(path, mode));
  constexpr std::size_t k_buffer = std::size_t{1} << 20;
  std::string buffer;
  buffer.reserve(k_buffer);
  Expected<void> status;
  produce([&](std::string_view piece) {
    if (!status) {
      return;
    }
    if (buffer.size() + piece.size() < k_buffer) {
      buffer += piece;
      return;
    }
    // A large piece is written as it is, after what the buffer holds.
    status = file.write(buffer);
    buffer.clear();
    if (status && piece.size() >= k_buffer) {
      status = file.write(piece);
    } else {
      buffer += piece;
    }
  });
  QA_TRY(status);
  QA_TRY(file.write(buffer));
  return file.commit(fsync);
}

Expected<void> fsync_dir(const fs::path& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) {
    return os_error("open folder", dir);
  }
  if (::fsync(fd.get()) != 0) {
    return os_error("sync folder", dir);
  }
  return {};
}

}  // namespace qa::util
