#include "support/store_check.hpp"

#include <nlohmann/json.hpp>

#include <qa/util/file.hpp>
#include <qa/util/hash.hpp>

namespace qa::test {

namespace fs = std::filesystem;

namespace {

void check_blob(const fs::path& root, const fs::path& record, const std::string& name,
                const nlohmann::json& entry, StoreCheck& check) {
  const std::string where = record.string() + ": " + name;
  if (!entry.is_object() || !entry.contains("xxh128") || !entry["xxh128"].is_string()) {
    check.problems.push_back(where + ": no hash");
    return;
  }
  const std::string hex = entry["xxh128"].get<std::string>();
  const fs::path blob = root / "cas" / hex.substr(0, 2) / hex.substr(2);
  const auto digest = util::hash_file(blob);
  if (!digest) {
    check.problems.push_back(where + ": blob " + hex + " missing");
  } else if (digest->hash.hex() != hex) {
    check.problems.push_back(where + ": blob " + hex + " hashes to " + digest->hash.hex());
  } else if (digest->size != entry.value("size", std::uint64_t{0})) {
    check.problems.push_back(where + ": blob " + hex + " has another size");
  }
}

}  // namespace

StoreCheck check_store(const fs::path& root) {
  StoreCheck check;
  std::error_code ec;
  if (!fs::exists(root, ec)) {
    return check;  // nothing was stored yet
  }
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file() || it->path().filename() != "run.json") {
      continue;
    }
    ++check.records;
    const auto text = util::read_file(it->path());
    const auto record = text ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
    if (!record.is_object()) {
      check.problems.push_back(it->path().string() + ": not a JSON record");
      continue;
    }
    const nlohmann::json files = record.value("files", nlohmann::json::object());
    for (const auto& [name, entry] : files.items()) {
      check_blob(root, it->path(), name, entry, check);
    }
    if (record.contains("log") && record["log"].is_object()) {
      check_blob(root, it->path(), "log", record["log"], check);
    }
  }
  if (ec) {
    check.problems.push_back("cannot walk " + root.string() + ": " + ec.message());
  }
  return check;
}

}  // namespace qa::test
