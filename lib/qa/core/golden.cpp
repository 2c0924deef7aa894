#include <qa/core/golden.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <system_error>

#include <nlohmann/json.hpp>

#include <qa/core/run_key.hpp>
#include <qa/util/atomic_file.hpp>
#include <qa/util/file.hpp>
#include <qa/util/json_depth.hpp>
#include <qa/util/path.hpp>

namespace qa::core {

using nlohmann::json;

namespace {

constexpr std::array<std::string_view, 4> k_fields{"files", "input", "key", "schema"};

// Reads one golden manifest's fields, naming the file in every error.
class GoldenReader {
 public:
  explicit GoldenReader(std::string_view origin) : m_origin(origin) {}

  [[nodiscard]] tl::unexpected<Error> invalid(std::string_view why) const {
    return fail_as(ErrorKind::config, "cannot read golden manifest {}: {}", quote(m_origin), why);
  }

  [[nodiscard]] Expected<std::string> string(const json& object, const char* name) const {
    const auto it = object.find(name);
    if (it == object.end() || !it->is_string()) {
      return invalid(fmt::format("{} must be a string", quote(name)));
    }
    return it->get<std::string>();
  }

  [[nodiscard]] Expected<FileEntry> entry(const std::string& path, const json& value) const {
    const auto where = fmt::format("file {}", quote(path));
    if (!value.is_object() || value.size() != 2 || !value.contains("xxh128") ||
        !value.contains("size")) {
      return invalid(fmt::format("{} must be {{\"size\": N, \"xxh128\": \"<32 hex>\"}}", where));
    }
    if (!value["size"].is_number_unsigned()) {
      return invalid(fmt::format("{}: \"size\" must be a non-negative integer", where));
    }
    const json& hex = value["xxh128"];
    auto hash = hex.is_string() ? util::Hash128::from_hex(hex.get<std::string>())
                                : fail("\"xxh128\" must be a string");
    if (!hash) {
      return invalid(fmt::format("{}: {}", where, hash.error().message));
    }
    return FileEntry{*hash, value["size"].get<std::uint64_t>()};
  }

 private:
  std::string_view m_origin;
};

// Return the 1-based line of the byte at offset `byte` (1-based, as nlohmann reports it).
std::size_t line_of(std::string_view text, std::size_t byte) {
  const auto end = text.begin() + static_cast<std::ptrdiff_t>(std::min(byte, text.size()));
  return 1 + static_cast<std::size_t>(std::count(text.begin(), end, '\n'));
}

}  // namespace

Expected<std::filesystem::path> golden_path(const std::filesystem::path& dir,
                                            std::string_view key) {
  QA_TRY(check_run_key(key));
  return dir / (std::string(key) + ".json");
}

std::string golden_to_text(const Golden& golden) {
  json files = json::object();
  for (const auto& [path, entry] : golden.files) {
    files[path] = json{{"size", entry.size}, {"xxh128", entry.hash.hex()}};
  }
  // nlohmann's objects are sorted maps: dump() writes every key in order.
  const json document{{"files", std::move(files)},
                      {"input", golden.input},
                      {"key", golden.key},
                      {"schema", k_golden_schema}};
  return document.dump(2) + "\n";
}

Expected<Golden> parse_golden(std::string_view text, std::string_view origin) {
  const GoldenReader reader(origin);
  if (auto depth = util::check_json_depth(text, origin); !depth) {
    return reader.invalid(fmt::format("JSON nested deeper than {} levels", util::k_max_json_depth));
  }
  json value;
  try {
    value = json::parse(text);
  } catch (const json::parse_error& e) {
    return reader.invalid(fmt::format("not valid JSON (line {})", line_of(text, e.byte)));
  } catch (const json::exception&) {
    return reader.invalid("not valid JSON (a number out of range)");  // out_of_range.406
  }
  if (!value.is_object()) {
    return reader.invalid("expected a JSON object");
  }
  for (const auto& [name, _] : value.items()) {
    if (std::find(k_fields.begin(), k_fields.end(), name) == k_fields.end()) {
      return reader.invalid(fmt::format("unknown key {}", quote(name)));
    }
  }
  QA_TRY_ASSIGN(const std::string schema, reader.string(value, "schema"));
  if (schema != k_golden_schema) {
    return reader.invalid(
        fmt::format("schema {} is not {}", quote(schema), quote(k_golden_schema)));
  }
  Golden golden;
  QA_TRY_ASSIGN(golden.key, reader.string(value, "key"));
  if (auto valid = check_run_key(golden.key); !valid) {
    return reader.invalid(valid.error().message);
  }
  QA_TRY_ASSIGN(golden.input, reader.string(value, "input"));
  const auto files = value.find("files");
  if (files == value.end() || !files->is_object()) {
    return reader.invalid("\"files\" must be an object");
  }
  for (const auto& [path, entry] : files->items()) {
    if (auto safe = util::check_relative_path(path); !safe) {
      return reader.invalid(safe.error().message);
    }
    QA_TRY_ASSIGN(auto file, reader.entry(path, entry));
    golden.files.emplace(path, file);
  }
  return golden;
}

Expected<std::optional<Golden>> read_golden(const std::filesystem::path& dir,
                                            std::string_view key) {
  QA_TRY_ASSIGN(const auto path, golden_path(dir, key));
  std::error_code ec;
  if (std::filesystem::status(path, ec).type() == std::filesystem::file_type::not_found) {
    return std::optional<Golden>();
  }
  QA_TRY_ASSIGN(const auto text, util::read_file(path));
  QA_TRY_ASSIGN(auto golden, parse_golden(text, path.string()));
  if (golden.key != key) {
    return fail_as(ErrorKind::config,
                   "cannot read golden manifest {}: its key {} is not {}, the run of its path "
                   "(move the file or fix its key)",
                   quote(path.string()), quote(golden.key), quote(key));
  }
  return std::optional<Golden>(std::move(golden));
}

Expected<GoldenWrite> write_golden(const std::filesystem::path& dir, const Golden& golden) {
  QA_TRY_ASSIGN(const auto path, golden_path(dir, golden.key));
  const std::string text = golden_to_text(golden);
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) {
    if (auto existing = util::read_file(path); existing && *existing == text) {
      return GoldenWrite::unchanged;
    }
  }
  // Goldens are cheap to write again (accept once more): no fsync per run.
  QA_TRY(util::write_file_atomic(path, text, util::Fsync::no));
  return GoldenWrite::written;
}

}  // namespace qa::core
