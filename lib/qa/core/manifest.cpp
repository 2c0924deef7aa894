#include <qa/core/manifest.hpp>

#include <qa/util/hash_tree.hpp>
#include <qa/util/log.hpp>
#include <qa/util/path.hpp>
#include <qa/util/strings.hpp>

namespace qa::core {

bool FileSelection::selects(const std::string& rel_path) const {
  return util::glob_match_any(patterns, rel_path) && !util::glob_match_any(ignore, rel_path);
}

Expected<Manifest> build_manifest(const std::filesystem::path& dir, const FileSelection& selection,
                                  const std::set<std::string>& reserved, std::size_t threads,
                                  util::HashCache* cache) {
  QA_TRY_ASSIGN(const auto listing, util::scan_tree(dir));
  for (const auto& rel : listing.skipped) {
    if (selection.selects(rel)) {
      util::log::warning(
          "{} in {} is a symbolic link or a special file: not recorded (it is "
          "never followed)",
          quote(util::escape_bytes(rel)), quote(dir.string()));
    }
  }
  std::vector<std::string> selected;
  std::vector<util::FileStat> stats;
  for (std::size_t i = 0; i < listing.files.size(); ++i) {
    const std::string& rel = listing.files[i];
    if (!util::is_utf8(rel)) {
      // Records, manifests and reports are JSON and text: such a name could not travel.
      return fail("cannot record {} in {}: its name is not UTF-8 (rename the file)",
                  quote(util::escape_bytes(rel)), quote(dir.string()));
    }
    if (!reserved.contains(rel) && selection.selects(rel)) {
      selected.push_back(rel);
      stats.push_back(listing.stats[i]);
    }
  }
  QA_TRY_ASSIGN(const auto hashed, util::hash_files(dir, selected, threads, cache, stats));
  Manifest manifest;
  for (const auto& file : hashed) {
    manifest.emplace(file.rel_path, FileEntry{file.digest.hash, file.digest.size});
  }
  return manifest;
}

Manifest filter_manifest(const Manifest& manifest, const FileSelection& selection) {
  Manifest out;
  for (const auto& [path, entry] : manifest) {
    if (selection.selects(path)) {
      out.emplace(path, entry);
    }
  }
  return out;
}

std::string to_xxhsum_format(const Manifest& manifest) {
  std::string out;
  for (const auto& [path, entry] : manifest) {
    // A line break in a name would end the line and forge another entry. Such a name is
    // written as sha256sum and newer xxhsum do: the line starts with a backslash, and the name's
    // backslashes and line breaks are escaped.
    const bool escaped = path.find_first_of("\n\r") != std::string::npos;
    if (escaped) {
      out += '\\';
    }
    out += entry.hash.hex();
    out += "  ";
    for (const char c : path) {
      if (escaped && c == '\\') {
        out += "\\\\";
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else {
        out += c;
      }
    }
    out += '\n';
  }
  return out;
}

}  // namespace qa::core
