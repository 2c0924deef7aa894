#include <qa/util/path_glob.hpp>

#include <fnmatch.h>

#include <algorithm>
#include <set>
#include <string>

namespace qa::util {

namespace fs = std::filesystem;

namespace {

// Split `text` at `/`, leaving out empty and `.` segments.
std::vector<std::string> segments(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('/', start), text.size());
    const std::string_view part = text.substr(start, end - start);
    if (!part.empty() && part != ".") {
      out.emplace_back(part);
    }
    start = end + 1;
  }
  return out;
}

bool has_wildcard(std::string_view segment) {
  return segment.find_first_of("*?[") != std::string_view::npos;
}

// FNM_NOESCAPE: in Python's fnmatch a backslash is an ordinary character. No FNM_PERIOD: `*`
// matches a leading `.` as pathlib's glob does.
bool name_match(const std::string& pattern, const std::string& name) {
  return ::fnmatch(pattern.c_str(), name.c_str(), FNM_NOESCAPE) == 0;
}

bool match_from(const std::vector<std::string>& pattern, std::size_t p,
                const std::vector<std::string>& path, std::size_t s) {
  while (p < pattern.size()) {
    if (pattern[p] == "**") {
      // `**` takes no segment or one more; consecutive `**` are one.
      while (p + 1 < pattern.size() && pattern[p + 1] == "**") {
        ++p;
      }
      for (std::size_t skip = s; skip <= path.size(); ++skip) {
        if (match_from(pattern, p + 1, path, skip)) {
          return true;
        }
      }
      return false;
    }
    if (s >= path.size() || !name_match(pattern[p], path[s])) {
      return false;
    }
    ++p;
    ++s;
  }
  return s == path.size();
}

class Globber {
 public:
  explicit Globber(std::vector<std::string> pattern) : m_pattern(std::move(pattern)) {}

  void walk(const fs::path& at, std::size_t index) {
    if (m_found.size() >= k_max_glob_paths) {
      return;
    }
    std::error_code ec;
    if (index == m_pattern.size()) {
      m_found.insert(at);
      return;
    }
    const std::string& segment = m_pattern[index];
    if (segment == "**") {
      walk(at, index + 1);  // no folder at all
      if (!fs::is_directory(at, ec)) {
        return;
      }
      for (auto it = fs::recursive_directory_iterator(at, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (m_found.size() >= k_max_glob_paths) {
          return;
        }
        std::error_code type_ec;
        if (it->is_directory(type_ec) && !it->is_symlink(type_ec)) {
          walk(it->path(), index + 1);
        }
      }
      return;
    }
    if (!has_wildcard(segment)) {
      const fs::path next = at / segment;
      if (fs::exists(next, ec)) {
        walk(next, index + 1);
      }
      return;
    }
    if (!fs::is_directory(at, ec)) {
      return;
    }
    std::vector<fs::path> matches;
    for (auto it = fs::directory_iterator(at, ec); !ec && it != fs::directory_iterator();
         it.increment(ec)) {
      if (name_match(segment, it->path().filename().string())) {
        matches.push_back(it->path());
      }
    }
    for (const auto& match : matches) {
      walk(match, index + 1);
    }
  }

  [[nodiscard]] std::vector<fs::path> found() const { return {m_found.begin(), m_found.end()}; }

 private:
  std::vector<std::string> m_pattern;
  std::set<fs::path> m_found;
};

}  // namespace

std::vector<fs::path> glob_under(const fs::path& root, std::string_view pattern) {
  Globber globber(segments(pattern));
  globber.walk(root, 0);
  return globber.found();
}

bool path_glob_match(std::string_view pattern, std::string_view rel) {
  return match_from(segments(pattern), 0, segments(rel), 0);
}

}  // namespace qa::util
