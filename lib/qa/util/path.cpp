#include <qa/util/path.hpp>

#include <qa/util/env.hpp>

#include <fnmatch.h>

namespace qa::util {

namespace fs = std::filesystem;

Expected<void> check_relative_path(std::string_view rel) {
  if (rel.empty()) {
    return fail("invalid path {}: empty", quote(rel));
  }
  if (rel.find('\0') != std::string_view::npos) {
    return fail("invalid path {}: contains a NUL byte", quote(rel.substr(0, rel.find('\0'))));
  }
  if (rel.front() == '/') {
    return fail("invalid path {}: absolute", quote(rel));
  }
  std::size_t start = 0;
  while (start <= rel.size()) {
    const std::size_t end = std::min(rel.find('/', start), rel.size());
    const std::string_view part = rel.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") {
      return fail("invalid path {}: it must stay inside its folder", quote(rel));
    }
    start = end + 1;
  }
  return {};
}

Expected<fs::path> safe_join(const fs::path& root, std::string_view rel) {
  QA_TRY(check_relative_path(rel));
  fs::path joined = root / fs::path(rel);
  std::error_code ec;
  const fs::path real_root = fs::weakly_canonical(root, ec);
  const fs::path real_joined = fs::weakly_canonical(joined, ec);
  if (ec || !is_within(real_root, real_joined)) {
    return fail("invalid path {}: it leads outside {}", quote(rel), quote(root.string()));
  }
  return joined;
}

bool is_within(const fs::path& root, const fs::path& path) {
  const fs::path a = fs::absolute(root).lexically_normal();
  const fs::path b = fs::absolute(path).lexically_normal();
  auto ai = a.begin();
  auto bi = b.begin();
  for (; ai != a.end(); ++ai, ++bi) {
    if (ai->empty() && std::next(ai) == a.end()) {
      break;  // trailing separator of root
    }
    if (bi == b.end() || *ai != *bi) {
      return false;
    }
  }
  return true;
}

bool glob_match(std::string_view pattern, std::string_view path) {
  const std::string p(pattern);
  const std::string s(path);
  // FNM_NOESCAPE: in Python's fnmatch a backslash is an ordinary character (`[*]` escapes).
  if (::fnmatch(p.c_str(), s.c_str(), FNM_NOESCAPE) == 0) {
    return true;
  }
  // `**/` also matches no folder at all, as in QA-Board's rglob: `**/*.png` matches `a.png`.
  std::string without = p;
  for (std::size_t at = without.find("**/"); at != std::string::npos; at = without.find("**/")) {
    without.erase(at, 3);
  }
  return without != p && ::fnmatch(without.c_str(), s.c_str(), FNM_NOESCAPE) == 0;
}

bool glob_match_any(const std::vector<std::string>& patterns, std::string_view path) {
  for (const auto& pattern : patterns) {
    if (glob_match(pattern, path)) {
      return true;
    }
  }
  return false;
}

Expected<std::string> expand_user_and_env(std::string_view text) {
  std::string out;
  if (text == "~" || text.starts_with("~/")) {
    const auto home = env_value("HOME");
    if (!home) {
      return fail_as(ErrorKind::environment, "cannot expand {}: HOME is not set", quote(text));
    }
    out = *home;
    text.remove_prefix(1);
  }
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = text.find("${", pos);
    if (start == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, start - pos));
    const std::size_t end = text.find('}', start);
    if (end == std::string_view::npos) {
      return fail("cannot expand {}: unclosed \"${{\"", quote(text));
    }
    const std::string name(text.substr(start + 2, end - start - 2));
    const auto value = env_value(name.c_str(), EmptyIs::value);
    if (!value) {
      return fail_as(ErrorKind::environment, "cannot expand {}: environment variable {} is not set",
                     quote(text), quote(name));
    }
    out.append(*value);
    pos = end + 1;
  }
  return out;
}

}  // namespace qa::util
