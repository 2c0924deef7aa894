#pragma once

#include <optional>
#include <string_view>

#include <qa/core/run_record.hpp>

namespace qa::core {

// The fast path of parse_record: one line of JSON text read straight into a record with simdjson,
// without building a JSON document first (a report of 100,000 runs is parsing bound).
//
// It accepts only what record_from_json accepts, giving the same record. Anything else (invalid
// JSON or record, a repeated field, a number simdjson cannot hold) returns nothing and the caller
// falls back to record_from_json, which names what is wrong: errors have one source. Text that
// nests as deep as util::k_max_json_depth is left to the caller too (util::check_json_depth).
[[nodiscard]] std::optional<RunRecord> read_record_fast(std::string_view text);

}  // namespace qa::core
