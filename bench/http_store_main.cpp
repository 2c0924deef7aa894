// qa-http-bench: drive a remote store backend (lib/qa/http) directly, the way qa-run stores
// outputs and qa-get fetches them, for bench/http-store and bench/s3-store. Not installed.
//
//   qa-http-bench manifest FOLDER             print `<xxh128> <size> <path>` per file of FOLDER
//   qa-http-bench upload URL MANIFEST         store every file of MANIFEST (HEAD, then PUT)
//   qa-http-bench download URL MANIFEST OUT   fetch every blob of MANIFEST into OUT/<name>
//
// URL is any store location, opened through the scheme table as the tools do: `http(s)://` for
// the http backend, `s3://bucket/prefix` for the S3 one. The store's settings come from the
// environment as in the tools (QA_STORE_JOBS, QA_CACHE_DIR, AWS_*, ...). Exit 0 on success, 2
// on any error (printed on stderr).

#include <qa/http/register.hpp>
#include <qa/store/scheme.hpp>
#include <qa/util/hash_tree.hpp>

#include <fmt/core.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Entry {
  qa::util::Hash128 hash;
  std::uint64_t size = 0;
  fs::path path;
};

qa::Expected<std::vector<Entry>> read_manifest(const fs::path& file) {
  std::ifstream in(file);
  if (!in) {
    return qa::fail("cannot read {}", qa::quote(file.string()));
  }
  std::vector<Entry> entries;
  Entry entry;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string digest;
    std::string path;
    fields >> digest >> entry.size;
    std::getline(fields >> std::ws, path);
    QA_TRY_ASSIGN(entry.hash, qa::util::Hash128::from_hex(digest));
    entry.path = path;
    entries.push_back(entry);
  }
  return entries;
}

qa::Expected<int> run(const std::vector<std::string>& args) {
  if (args.size() == 2 && args[0] == "manifest") {
    const fs::path root = fs::absolute(args[1]);
    QA_TRY_ASSIGN(const auto files, qa::util::list_tree(root));
    QA_TRY_ASSIGN(const auto digests, qa::util::hash_files(root, files));
    for (const auto& file : digests) {
      fmt::print("{} {} {}\n", file.digest.hash.hex(), file.digest.size,
                 (root / file.rel_path).string());
    }
    return 0;
  }
  if (args.size() >= 3 && (args[0] == "upload" || args[0] == "download")) {
    QA_TRY_ASSIGN(const auto backend,
                  qa::store::open_backend(args[1], qa::store::Access::read_write));
    QA_TRY_ASSIGN(const auto entries, read_manifest(args[2]));
    if (args[0] == "upload" && args.size() == 3) {
      std::vector<qa::store::BlobUpload> uploads;
      for (const auto& entry : entries) {
        uploads.push_back(qa::store::BlobUpload{entry.hash, entry.path, entry.size});
      }
      QA_TRY(backend->put_blobs(uploads));
      return 0;
    }
    if (args[0] == "download" && args.size() == 4) {
      std::vector<qa::store::BlobDownload> downloads;
      for (const auto& entry : entries) {
        downloads.push_back(qa::store::BlobDownload{
            entry.hash, fs::path(args[3]) / entry.path.filename(), entry.size});
      }
      QA_TRY(backend->get_blobs(downloads));
      return 0;
    }
  }
  return qa::fail(
      "usage: qa-http-bench manifest FOLDER | upload URL MANIFEST | download URL "
      "MANIFEST OUT");
}

}  // namespace

int main(int argc, char** argv) {
  qa::http::register_schemes();
  const auto result = run(std::vector<std::string>(argv + 1, argv + argc));
  if (!result) {
    std::fprintf(stderr, "qa-http-bench: error: %s\n", result.error().message.c_str());
    return 2;
  }
  return *result;
}
