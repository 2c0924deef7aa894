#include <qa/store/pack.hpp>

#include <zstd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include <qa/core/record_stream.hpp>
#include <qa/core/run_record_writer.hpp>
#include <qa/store/json_fields.hpp>
#include <qa/util/hash.hpp>
#include <qa/util/json_depth.hpp>
#include <qa/util/time.hpp>

namespace qa::store {

namespace {

constexpr std::string_view k_pack_schema = "qa.pack/1";
constexpr std::string_view k_index_schema = "qa.pack-index/1";
constexpr std::string_view k_pack_suffix = ".pack";
// A decompressed pack larger than this is refused: 100,000 records take about 100 MiB.
constexpr std::size_t k_max_pack_bytes = std::size_t{1} << 30;
// Packs smaller than this are left as they are: compressing them would save nothing worth a
// decompression.
constexpr std::size_t k_compress_from = 1024;
constexpr int k_zstd_level = 3;
// A compressed pack is decompressed and parsed this much text at a time.
constexpr std::size_t k_piece_bytes = std::size_t{4} << 20;
// No record line is shorter than this (a bound on the records a pack can hold).
constexpr std::size_t k_min_record_bytes = 64;

struct DctxDeleter {
  void operator()(ZSTD_DCtx* dctx) const { ZSTD_freeDCtx(dctx); }
};

bool is_zstd(std::string_view bytes) {
  static constexpr unsigned char k_magic[] = {0x28, 0xB5, 0x2F, 0xFD};
  return bytes.size() >= 4 &&
         std::equal(k_magic, k_magic + 4, bytes.begin(),
                    [](unsigned char a, char b) { return a == static_cast<unsigned char>(b); });
}

// Pass the text a zstd frame `bytes` decompresses to, found at `origin`, to `take` in pieces of
// about `piece` bytes that end at a line end (the last piece: where the text ends), so that a
// pack of 100,000 records (90 MB of text) is never held whole.
Expected<void> decompress_lines(std::string_view bytes, std::string_view origin, std::size_t piece,
                                const std::function<Expected<void>(std::string_view)>& take) {
  std::unique_ptr<ZSTD_DCtx, DctxDeleter> dctx(ZSTD_createDCtx());
  if (!dctx) {
    return fail("cannot read pack {}: out of memory", quote(origin));
  }
  std::string text;
  std::size_t total = 0;
  ZSTD_inBuffer in{bytes.data(), bytes.size(), 0};
  std::string chunk(ZSTD_DStreamOutSize(), '\0');
  std::size_t last = 1;
  while (in.pos < in.size || last != 0) {
    ZSTD_outBuffer buffer{chunk.data(), chunk.size(), 0};
    last = ZSTD_decompressStream(dctx.get(), &buffer, &in);
    if (ZSTD_isError(last) != 0U) {
      return fail("cannot read pack {}: {}", quote(origin), ZSTD_getErrorName(last));
    }
    text.append(chunk.data(), buffer.pos);
    total += buffer.pos;
    if (total > k_max_pack_bytes) {
      return fail("cannot read pack {}: more than {} bytes once decompressed", quote(origin),
                  k_max_pack_bytes);
    }
    if (in.pos == in.size && buffer.pos < buffer.size && last != 0) {
      return fail("cannot read pack {}: the compressed data is truncated", quote(origin));
    }
    if (text.size() >= piece) {
      if (const std::size_t end = text.rfind('\n'); end != std::string::npos) {
        QA_TRY(take(std::string_view(text).substr(0, end + 1)));
        text.erase(0, end + 1);
      }
    }
  }
  return take(text);
}

std::optional<std::string> compress(std::string_view text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  const std::size_t size =
      ZSTD_compress(out.data(), out.size(), text.data(), text.size(), k_zstd_level);
  if (ZSTD_isError(size) != 0U) {
    return std::nullopt;
  }
  out.resize(size);
  return out;
}

}  // namespace

std::string pack_folder(std::string_view project, std::string_view commit) {
  return fmt::format("{}/packs/{}/{}", project, commit.substr(0, 2), commit.substr(2));
}

std::string pack_name(std::vector<std::string> keys) {
  std::sort(keys.begin(), keys.end());
  std::string joined;
  for (const auto& key : keys) {
    joined += key;
    joined += '\n';
  }
  return util::hash_bytes(joined).hex().substr(0, 16) + std::string(k_pack_suffix);
}

bool is_pack_name(std::string_view name) {
  return name.ends_with(k_pack_suffix) && name.find('/') == std::string_view::npos &&
         !name.starts_with(".");
}

std::string encode_pack(const Pack& pack) {
  const nlohmann::json header{
      {"schema", k_pack_schema},
      {"project", pack.project},
      {"commit", pack.commit},
      {"records", pack.records.size()},
      {"written_at", util::rfc3339(std::chrono::system_clock::time_point(
                         std::chrono::duration_cast<std::chrono::system_clock::duration>(
                             std::chrono::nanoseconds(pack.written_ns))))},
      {"written_ns", pack.written_ns}};
  std::string text = header.dump() + "\n";
  for (const auto& record : pack.records) {
    core::append_json_line(record, text);
    text += '\n';
  }
  if (text.size() >= k_compress_from) {
    if (auto compressed = compress(text); compressed && compressed->size() < text.size()) {
      return std::move(*compressed);
    }
  }
  return text;
}

Expected<Pack> decode_pack(std::string_view bytes, std::string_view origin) {
  const auto invalid = [&](std::string_view why) {
    return fail("invalid pack {}: {}", quote(origin), why);
  };
  // The size of the pack's text, or of its compressed bytes when the frame does not tell.
  std::uint64_t text_bytes = bytes.size();
  if (is_zstd(bytes)) {
    const unsigned long long announced = ZSTD_getFrameContentSize(bytes.data(), bytes.size());
    if (announced != ZSTD_CONTENTSIZE_UNKNOWN && announced != ZSTD_CONTENTSIZE_ERROR) {
      text_bytes = std::min<std::uint64_t>(announced, k_max_pack_bytes);
    }
  }
  Pack pack;
  std::optional<std::uint64_t> count;  // announced by the header
  int line = 1;                        // the number of the next piece's first line
  // Take `text`, whole lines of the pack: its header first, then records, parsed in parallel
  // (a pack of 100,000 runs is parsing bound).
  const auto take = [&](std::string_view text) -> Expected<void> {
    if (!count) {
      const std::size_t header_end = std::min(text.find('\n'), text.size());
      const std::string_view first = text.substr(0, header_end);
      if (first.empty()) {
        return invalid("empty");
      }
      QA_TRY(util::check_json_depth(first, origin));
      const auto header = nlohmann::json::parse(first, nullptr, false);
      if (!has_string_field(header, "schema", k_pack_schema)) {
        return invalid(fmt::format("its first line is not a {} header", k_pack_schema));
      }
      const std::string* project = string_field(header, "project");
      const std::string* commit = string_field(header, "commit");
      if (project == nullptr || commit == nullptr || !header.contains("records") ||
          !header["records"].is_number_unsigned()) {
        return invalid(
            "its header needs \"project\" and \"commit\" strings and a \"records\" count");
      }
      pack.project = *project;
      pack.commit = *commit;
      if (header.contains("written_ns") && header["written_ns"].is_number_integer()) {
        pack.written_ns = header["written_ns"].get<std::int64_t>();
      }
      count = header["records"].get<std::uint64_t>();
      // Room for the records announced, as many as the pack's text can hold.
      pack.records.reserve(static_cast<std::size_t>(
          std::min<std::uint64_t>(*count, text_bytes / k_min_record_bytes)));
      text.remove_prefix(std::min(header_end + 1, text.size()));
      ++line;
    }
    QA_TRY(core::append_record_lines(text, origin, line, pack.records));
    line += static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    return {};
  };
  if (is_zstd(bytes)) {
    QA_TRY(decompress_lines(bytes, origin, k_piece_bytes, take));
  } else {
    QA_TRY(take(bytes));
  }
  if (*count != pack.records.size()) {
    return invalid(fmt::format("its header announces {} records, it holds {} (truncated?)", *count,
                               pack.records.size()));
  }
  for (const auto& record : pack.records) {
    if (record.project != pack.project || record.commit != pack.commit) {
      return invalid(fmt::format("the run {} belongs to commit {} of {}", quote(record.key),
                                 record.commit.substr(0, 12), quote(record.project)));
    }
  }
  return pack;
}

std::string encode_pack_index(const std::vector<std::string>& names) {
  return nlohmann::json{{"schema", k_index_schema}, {"packs", names}}.dump(2) + "\n";
}

Expected<std::vector<std::string>> decode_pack_index(std::string_view text,
                                                     std::string_view origin) {
  QA_TRY(util::check_json_depth(text, origin));
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!has_string_field(json, "schema", k_index_schema) || !json.contains("packs") ||
      !json["packs"].is_array()) {
    return fail("invalid pack index {}: not a {} document", quote(origin), k_index_schema);
  }
  std::vector<std::string> names;
  for (const auto& name : json["packs"]) {
    if (name.is_string() && is_pack_name(name.get<std::string>())) {
      names.push_back(name.get<std::string>());
    }
  }
  return names;
}

}  // namespace qa::store
