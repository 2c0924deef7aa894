#include <qa/store/local_backend.hpp>

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <qa/util/atomic_file.hpp>
#include <qa/util/file.hpp>
#include <qa/util/hash.hpp>
#include <qa/util/hash_tree.hpp>
#include <qa/util/log.hpp>
#include <qa/util/path.hpp>

namespace qa::store {

namespace fs = std::filesystem;

namespace {

constexpr unsigned k_blob_mode = 0444;

tl::unexpected<Error> os_error(std::string_view what, const fs::path& path) {
  return fail("cannot {} {}: {}", what, quote(path.string()), std::strerror(errno));
}

// Return whether `name` is the temporary file of a write in progress (util::AtomicFile).
bool is_temporary(const fs::path& rel) { return rel.filename().string().starts_with(".tmp."); }

// Give the file `out` the content of `in`: a reflink (FICLONE) where the filesystem shares
// extents, else a copy (copy_file_range, itself a reflink on some filesystems). Never a hard
// link: a command running as root can still write a file of mode 0444, which would rewrite the
// blob. `try_reflink` is cleared when the store's filesystem cannot reflink at all.
Expected<void> clone_or_copy(int in, util::AtomicFile& out, std::atomic<bool>& try_reflink) {
  if (try_reflink) {
    if (::ioctl(out.fd(), FICLONE, in) == 0) {
      return {};
    }
    if (errno == EOPNOTSUPP || errno == ENOTTY || errno == ENOSYS) {
      try_reflink = false;
    }
  }
  return out.write_from(in);
}

}  // namespace

Expected<std::unique_ptr<LocalBackend>> LocalBackend::open(const fs::path& root, Access access) {
  const auto unusable = [&](std::string_view why) {
    return fail_as(ErrorKind::environment, "cannot use store {}: {}", quote(root.string()), why);
  };
  std::error_code ec;
  if (access == Access::read_write) {
    fs::create_directories(root, ec);
    if (ec) {
      return unusable(ec.message());
    }
  } else if (!fs::exists(root, ec)) {
    if (ec) {
      return unusable(ec.message());
    }
    // Nothing was ever stored there: an empty store, and no folder is made for it.
    return std::unique_ptr<LocalBackend>(new LocalBackend(fs::absolute(root).lexically_normal()));
  }
  if (!fs::is_directory(root, ec)) {
    return unusable("not a folder");
  }
  const int needed = access == Access::read_write ? R_OK | W_OK | X_OK : R_OK | X_OK;
  if (::access(root.c_str(), needed) != 0) {
    return unusable(std::strerror(errno));
  }
  return std::unique_ptr<LocalBackend>(new LocalBackend(fs::absolute(root).lexically_normal()));
}

std::string LocalBackend::describe() const { return m_root.string(); }

fs::path LocalBackend::blob_path(const util::Hash128& hash) const {
  const std::string hex = hash.hex();
  return m_root / "cas" / hex.substr(0, 2) / hex.substr(2);
}

Expected<bool> LocalBackend::has_blob(const util::Hash128& hash) {
  struct stat st {};
  return ::stat(blob_path(hash).c_str(), &st) == 0;
}

Expected<void> LocalBackend::put_blob(const util::Hash128& hash, const fs::path& source,
                                      std::uint64_t size) {
  const fs::path destination = blob_path(hash);
  struct stat st {};
  if (::stat(destination.c_str(), &st) == 0) {
    return {};  // content-addressed: an existing blob already holds these bytes
  }
  // O_NOFOLLOW: a symbolic link put in place of an output (to a file outside the output
  // folder, say) is refused, never followed.
  util::UniqueFd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (!in) {
    if (errno == ELOOP) {
      return fail("cannot store {}: it is a symbolic link", quote(source.string()));
    }
    return os_error("read", source);
  }
  if (::fstat(in.get(), &st) != 0) {
    return os_error("read", source);
  }
  if (!S_ISREG(st.st_mode)) {
    return fail("cannot store {}: not a regular file", quote(source.string()));
  }
  const auto changed = [&](std::string_view how) {
    return fail("cannot store {}: it changed while it was recorded ({})", quote(source.string()),
                how);
  };
  if (static_cast<std::uint64_t>(st.st_size) != size) {
    return changed(fmt::format("{} bytes, expected {}", st.st_size, size));
  }
  QA_TRY(util::create_dirs(destination.parent_path()));
  QA_TRY_ASSIGN(auto out, util::AtomicFile::create(destination, k_blob_mode));
  QA_TRY(clone_or_copy(in.get(), out, m_try_reflink));
  // What was copied is checked against its name: a command still writing its outputs (a
  // process left in the background) cannot make a blob whose content is not its hash.
  QA_TRY_ASSIGN(const auto copied, util::hash_file(out.temp_path()));
  if (copied.hash != hash || copied.size != size) {
    return changed(fmt::format("its content now hashes to {}", copied.hash.hex()));
  }
  return out.commit_no_replace(util::Fsync::no);
}

void LocalBackend::touch_blob(const util::Hash128& hash) {
  if (::utimensat(AT_FDCWD, blob_path(hash).c_str(), nullptr, 0) != 0) {
    util::log::debug("cannot refresh the time of blob {}: {}", hash.hex(), std::strerror(errno));
  }
}

Expected<void> LocalBackend::get_blob(const util::Hash128& hash, const fs::path& destination) {
  const fs::path source = blob_path(hash);
  struct stat st {};
  if (::stat(source.c_str(), &st) != 0) {
    return fail("blob {} is missing from store {}", hash.hex(), quote(m_root.string()));
  }
  if (destination.has_parent_path()) {
    QA_TRY(util::create_dirs(destination.parent_path()));
  }
  QA_TRY(util::copy_file_atomic(source, destination, 0644));
  QA_TRY_ASSIGN(const auto digest, util::hash_file(destination));
  if (digest.hash != hash) {
    fs::remove(destination);
    return fail("blob {} in store {} is corrupt: its content hashes to {}", hash.hex(),
                quote(m_root.string()), digest.hash.hex());
  }
  return {};
}

Expected<std::optional<std::string>> LocalBackend::get_document(std::string_view rel) {
  QA_TRY(util::check_relative_path(rel));
  const fs::path path = m_root / fs::path(rel);
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return std::optional<std::string>();
  }
  if (const auto size = fs::file_size(path, ec); !ec && size > k_max_document_bytes) {
    return fail("cannot read {}: {} bytes, more than a document of the store may hold ({})",
                quote(path.string()), size, k_max_document_bytes);
  }
  QA_TRY_ASSIGN(std::string content, util::read_file(path));
  return std::optional<std::string>(std::move(content));
}

Expected<void> LocalBackend::put_document(std::string_view rel, std::string_view content) {
  QA_TRY(util::check_relative_path(rel));
  const auto fsync =
      m_document_sync == DocumentSync::each_write ? util::Fsync::yes : util::Fsync::no;
  return util::write_file_atomic(m_root / fs::path(rel), content, fsync);
}

Expected<void> LocalBackend::flush() {
  if (m_document_sync == DocumentSync::each_write) {
    return {};
  }
  const util::UniqueFd fd(::open(m_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd || ::syncfs(fd.get()) != 0) {
    return fail_as(ErrorKind::io, "cannot sync store {}: {}", quote(m_root.string()),
                   std::strerror(errno));
  }
  return {};
}

Expected<std::vector<std::string>> LocalBackend::list_documents(std::string_view prefix) {
  QA_TRY(util::check_relative_path(prefix));
  const fs::path dir = m_root / fs::path(prefix);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return std::vector<std::string>();
  }
  QA_TRY_ASSIGN(auto files, util::list_tree(dir));
  std::erase_if(files, [](const std::string& rel) { return is_temporary(rel); });
  return files;
}

Expected<std::vector<ObjectInfo>> LocalBackend::list_objects(std::string_view prefix) {
  if (!prefix.empty()) {  // empty: the whole store
    QA_TRY(util::check_relative_path(prefix));
  }
  const fs::path dir = prefix.empty() ? m_root : m_root / fs::path(prefix);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return std::vector<ObjectInfo>();
  }
  QA_TRY_ASSIGN(const auto files, util::list_tree(dir));
  std::vector<ObjectInfo> objects;
  objects.reserve(files.size());
  for (const auto& rel : files) {
    if (is_temporary(rel)) {
      continue;
    }
    const fs::path path = dir / rel;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
      if (errno == ENOENT) {
        continue;  // removed since it was listed
      }
      return os_error("read", path);
    }
    if (!S_ISREG(st.st_mode)) {
      continue;
    }
    objects.push_back(
        ObjectInfo{rel, static_cast<std::uint64_t>(st.st_size),
                   std::chrono::system_clock::time_point(std::chrono::seconds(st.st_mtim.tv_sec))});
  }
  return objects;  // list_tree sorts
}

Expected<void> LocalBackend::remove_object(std::string_view rel) {
  QA_TRY(util::check_relative_path(rel));
  const fs::path path = m_root / fs::path(rel);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return os_error("remove", path);
  }
  if (rel.starts_with("cas/")) {
    return {};
  }
  // Folders left empty go too (rmdir removes only empty ones; the first that is not stops).
  for (fs::path folder = path.parent_path(); folder != m_root && folder.has_relative_path();
       folder = folder.parent_path()) {
    if (::rmdir(folder.c_str()) != 0) {
      break;
    }
  }
  return {};
}

Expected<BlobState> LocalBackend::check_blob(const util::Hash128& hash) {
  const fs::path path = blob_path(hash);
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return BlobState::missing;
    }
    return os_error("read", path);
  }
  if (!S_ISREG(st.st_mode)) {
    return BlobState::corrupt;  // a symbolic link or a folder in a blob's place
  }
  QA_TRY_ASSIGN(const auto digest, util::hash_file(path));
  return digest.hash == hash ? BlobState::intact : BlobState::corrupt;
}

}  // namespace qa::store
