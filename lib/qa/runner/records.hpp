#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <qa/core/run_record.hpp>
#include <qa/runner/context.hpp>
#include <qa/runner/plan.hpp>
#include <qa/store/store.hpp>
#include <qa/util/error.hpp>

namespace qa::runner {

// Whether piped records may be the answer (qa-report, qa-bitacc) or not (qa-get runs).
enum class PipedRecords { accepted, ignored };
// What a planned run without a stored record means: a warning (the report shows what exists)
// or an error (a gate must not pass on runs it never saw).
enum class MissingRuns { warn, fail };

// What an invocation asks about: `qa-<tool> [--commit REF] [BATCH]...` with the common options.
struct RecordQuery {
  std::string tool;                   // "qa-report", for messages
  PlanRequest plan;                   // plan.names: batches, aliases or inputs (may be empty)
  std::optional<std::string> commit;  // --commit: a sha, tag or branch; default HEAD
  PipedRecords piped = PipedRecords::accepted;
  MissingRuns missing = MissingRuns::warn;
  int stdin_fd = 0;  // where piped records are read from (tests pass a pipe)
};

// The records of an invocation and where they come from.
struct SelectedRecords {
  std::vector<core::RunRecord> records;
  std::vector<std::string> planned;  // the keys of the batches' plan (none without batches)
  std::map<std::string, std::string> batch_references;  // key -> its batch's `reference:`
  std::string commit;  // the commit key read from the store; empty for piped ones
};

// Return the records `query` is about, the same way in every tool:
// - no batch and no --commit, records piped in (when accepted): the piped records, planned ones
//   left out; nothing piped and stdin a terminal is a usage error saying what to give;
// - batches: the stored records of their plan at --commit (default HEAD), in plan order; a
//   planned run without a record is a warning or, with MissingRuns::fail, an error naming it;
// - --commit alone (or nothing, when piped records are ignored): every stored record of the
//   commit, sorted by key.
[[nodiscard]] Expected<SelectedRecords> select_records(const ProjectContext& context,
                                                       store::Store& store,
                                                       const RecordQuery& query);

// Return the reference runs to compare `selected` with, at `commit` of `project`: those of the
// selected runs' keys, plus the runs that only the reference has (to report them missing): among
// the planned keys, or without a plan, among the reference's runs of the same labels. A store
// that cannot list is read key by key.
[[nodiscard]] Expected<std::vector<core::RunRecord>> reference_records(
    store::Store& store, const std::string& project, const std::string& commit,
    const SelectedRecords& selected);

// The runs of a selection that compare with one reference.
struct ReferenceGroup {
  std::string ref;                   // --reference, a batch's `reference:`, or "auto"
  std::vector<std::size_t> records;  // indices into SelectedRecords::records
  std::vector<std::string> planned;  // the planned keys among them (see reference_records)
};

// Group the runs of `selected` by the reference they compare with: `requested` (--reference)
// for every run when given, else the `reference:` of each run's batch, else "auto". Groups come
// in the order of their first run; a selection without runs has none.
[[nodiscard]] std::vector<ReferenceGroup> reference_groups(
    const std::optional<std::string>& requested, const SelectedRecords& selected);

// Return the "reference" object of a check of the runs of `groups`, given the JSON of each
// group's reference (`choices`, in the order of the groups): the first one, plus every one with
// its number of runs under "per_batch" when there are several groups.
[[nodiscard]] nlohmann::json references_json(const std::vector<ReferenceGroup>& groups,
                                             std::vector<nlohmann::json> choices);

// Return the part of `selected` that `group` holds (its records copied).
[[nodiscard]] SelectedRecords group_selection(const SelectedRecords& selected,
                                              const ReferenceGroup& group);

}  // namespace qa::runner
