// qa-hash-tree: list a folder with qa::util::list_tree and hash every file with
// qa::util::hash_files, the way qa-run records its outputs. Used by bench/hash-tree to compare
// the library's throughput with xxhsum, md5sum, b3sum and cat; not installed.
//
//   qa-hash-tree [-j N] [--print] FOLDER
//
// Prints `<files> files, <bytes> bytes, <seconds> s, <MiB/s> MiB/s` on stdout. With --print it
// prints instead one `<xxh128>  <FOLDER>/<path>` line per file, as `xxhsum -H2` does, and the
// summary on stderr. Exit 0 on success, 2 on a usage error or an unreadable file.

#include <qa/util/error.hpp>
#include <qa/util/hash_tree.hpp>

#include <fmt/core.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view k_usage =
    "usage: qa-hash-tree [-j N] [--print] FOLDER\n"
    "\n"
    "Hash every regular file under FOLDER (XXH3-128, symlinks not followed).\n"
    "  -j, --jobs N  hash with N threads (default: one per core)\n"
    "  --print       print `<xxh128>  <path>` lines like `xxhsum -H2`\n"
    "  -h, --help    show this help\n";

struct Options {
  std::string folder;
  std::size_t threads = 0;
  bool print = false;
};

qa::Expected<std::size_t> parse_jobs(std::string_view text) {
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0) {
    return qa::fail("invalid value {} for -j: expected a positive number", qa::quote(text));
  }
  return value;
}

// Return the options, or an error; an empty folder means --help was asked for.
qa::Expected<Options> parse_args(const std::vector<std::string_view>& args) {
  Options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "-h" || arg == "--help") {
      return Options{};
    }
    if (arg == "--print") {
      options.print = true;
    } else if (arg == "-j" || arg == "--jobs") {
      if (i + 1 == args.size()) {
        return qa::fail("option {} needs a value", qa::quote(arg));
      }
      QA_TRY_ASSIGN(options.threads, parse_jobs(args[++i]));
    } else if (arg.starts_with("-j") && arg.size() > 2) {
      QA_TRY_ASSIGN(options.threads, parse_jobs(arg.substr(2)));
    } else if (arg.starts_with("-") && arg != "-") {
      return qa::fail("unknown option {}", qa::quote(arg));
    } else if (!options.folder.empty()) {
      return qa::fail("unexpected argument {}: give one folder", qa::quote(arg));
    } else {
      options.folder = std::string(arg);
    }
  }
  if (options.folder.empty()) {
    return qa::fail("missing FOLDER argument");
  }
  return options;
}

qa::Expected<void> run(const Options& options) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  QA_TRY_ASSIGN(const auto rel_paths, qa::util::list_tree(options.folder));
  QA_TRY_ASSIGN(const auto files, qa::util::hash_files(options.folder, rel_paths, options.threads));
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  std::uint64_t bytes = 0;
  const std::filesystem::path root(options.folder);
  for (const auto& file : files) {
    bytes += file.digest.size;
    if (options.print) {
      fmt::print("{}  {}\n", file.digest.hash.hex(), (root / file.rel_path).generic_string());
    }
  }
  const double mib_per_s =
      seconds > 0 ? static_cast<double>(bytes) / (1024.0 * 1024.0) / seconds : 0.0;
  fmt::print(options.print ? stderr : stdout, "{} files, {} bytes, {:.3f} s, {:.0f} MiB/s\n",
             files.size(), bytes, seconds, mib_per_s);
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  const auto options = parse_args(args);
  if (!options) {
    fmt::print(stderr, "qa-hash-tree: error: {}\n{}", options.error().message, k_usage);
    return 2;
  }
  if (options->folder.empty()) {
    fmt::print("{}", k_usage);
    return 0;
  }
  const auto done = run(*options);
  if (!done) {
    fmt::print(stderr, "qa-hash-tree: error: {}\n", done.error().message);
    return 2;
  }
  return 0;
}
