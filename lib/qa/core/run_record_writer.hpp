#pragma once

#include <string>

#include <qa/core/run_record.hpp>

namespace qa::core {

// Append `record` as one line of compact JSON (no newline) to `out`: the same bytes as
// `to_json(record).dump()`, written straight from the record instead of through a JSON document
// (qa-get runs and packs write 100,000 records at a time). Throws as dump() does on a string that
// is not UTF-8.
void append_json_line(const RunRecord& record, std::string& out);

// `record` as one line of compact JSON, without a newline (see append_json_line).
[[nodiscard]] std::string to_json_line(const RunRecord& record);

}  // namespace qa::core
