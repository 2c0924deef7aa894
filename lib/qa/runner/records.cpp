#include <qa/runner/records.hpp>

#include <unistd.h>

#include <algorithm>
#include <set>
#include <string_view>
#include <unordered_set>

#include <qa/core/record_stream.hpp>
#include <qa/runner/reference.hpp>
#include <qa/util/log.hpp>
#include <qa/util/strings.hpp>

namespace qa::runner {

namespace {

Expected<SelectedRecords> piped_records(const RecordQuery& query) {
  if (::isatty(query.stdin_fd) == 1) {
    return fail_as(ErrorKind::usage,
                   "no runs: pipe records (qa-batch BATCH | {0}) or name batches ({0} BATCH, "
                   "with --commit REF for another commit than HEAD)",
                   query.tool);
  }
  SelectedRecords selected;
  QA_TRY_ASSIGN(selected.records, core::read_fd_records(query.stdin_fd, "stdin"));
  std::erase_if(selected.records,
                [](const core::RunRecord& r) { return r.status == core::RunStatus::planned; });
  return selected;
}

}  // namespace

Expected<SelectedRecords> select_records(const ProjectContext& context, store::Store& store,
                                         const RecordQuery& query) {
  const bool from_store = !query.plan.names.empty() || query.commit.has_value();
  if (!from_store && query.piped == PipedRecords::accepted) {
    return piped_records(query);
  }
  SelectedRecords selected;
  QA_TRY_ASSIGN(selected.commit, resolve_commit(context, store, query.commit.value_or("")));
  if (query.plan.names.empty()) {
    QA_TRY_ASSIGN(selected.records, store.list_runs(context.config.name, selected.commit));
    return selected;
  }
  QA_TRY_ASSIGN(const auto plan, make_plan(context, query.plan));
  for (const auto& spec : plan) {
    selected.planned.push_back(spec.key);
    if (!spec.reference.empty()) {
      selected.batch_references.emplace(spec.key, spec.reference);
    }
  }
  QA_TRY_ASSIGN(auto found, store.get_runs(context.config.name, selected.commit, selected.planned));
  const std::string short_commit = selected.commit.substr(0, 12);
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (found[i]) {
      selected.records.push_back(std::move(*found[i]));
    } else if (query.missing == MissingRuns::fail) {
      return fail("run {} has no record at {}: run the batch first (qa-batch {})",
                  quote(selected.planned[i]), short_commit, util::join(query.plan.names, " "));
    }
  }
  if (selected.records.size() < plan.size()) {
    util::log::warning("{} of {} runs have no record at {}", plan.size() - selected.records.size(),
                       plan.size(), short_commit);
  }
  return selected;
}

Expected<std::vector<core::RunRecord>> reference_records(store::Store& store,
                                                         const std::string& project,
                                                         const std::string& commit,
                                                         const SelectedRecords& selected) {
  const auto& planned = selected.planned;
  // Keys are looked up once per stored run: hashed views of the keys `selected` holds.
  std::unordered_set<std::string_view> wanted(planned.begin(), planned.end());
  std::set<std::string, std::less<>> labels;
  wanted.reserve(planned.size() + selected.records.size());
  for (const auto& record : selected.records) {
    wanted.insert(record.key);
    labels.insert(record.label);
  }
  auto listed = store.list_runs(project, commit, [&](std::string_view key) {
    return wanted.contains(key) ||
           (planned.empty() && labels.contains(key.substr(0, key.find('/'))));
  });
  if (listed) {
    return std::move(*listed);
  }
  util::log::debug("cannot list the reference's runs ({}); reading them one by one",
                   listed.error().message);
  std::vector<std::string> keys(wanted.begin(), wanted.end());
  std::sort(keys.begin(), keys.end());
  QA_TRY_ASSIGN(auto found, store.get_runs(project, commit, keys));
  std::vector<core::RunRecord> result;
  for (auto& record : found) {
    if (record) {
      result.push_back(std::move(*record));
    }
  }
  return result;
}

std::vector<ReferenceGroup> reference_groups(const std::optional<std::string>& requested,
                                             const SelectedRecords& selected) {
  const auto ref_of = [&](const std::string& key) -> std::string {
    if (requested) {
      return *requested;
    }
    const auto found = selected.batch_references.find(key);
    return found == selected.batch_references.end() ? std::string("auto") : found->second;
  };
  std::vector<ReferenceGroup> groups;
  std::map<std::string, std::size_t, std::less<>> by_ref;
  const auto group_of = [&](const std::string& ref) -> ReferenceGroup& {
    const auto [at, added] = by_ref.try_emplace(ref, groups.size());
    if (added) {
      groups.push_back(ReferenceGroup{ref, {}, {}});
    }
    return groups[at->second];
  };
  for (std::size_t i = 0; i < selected.records.size(); ++i) {
    group_of(ref_of(selected.records[i].key)).records.push_back(i);
  }
  for (const auto& key : selected.planned) {
    if (const auto found = by_ref.find(ref_of(key)); found != by_ref.end()) {
      groups[found->second].planned.push_back(key);
    }
  }
  return groups;
}

nlohmann::json references_json(const std::vector<ReferenceGroup>& groups,
                               std::vector<nlohmann::json> choices) {
  if (choices.empty()) {
    return nlohmann::json::object();
  }
  nlohmann::json reference = choices.front();
  if (choices.size() > 1) {
    for (std::size_t i = 0; i < choices.size(); ++i) {
      choices[i]["runs"] = groups[i].records.size();
    }
    reference["per_batch"] = std::move(choices);
  }
  return reference;
}

SelectedRecords group_selection(const SelectedRecords& selected, const ReferenceGroup& group) {
  SelectedRecords part;
  part.commit = selected.commit;
  part.planned = group.planned;
  part.records.reserve(group.records.size());
  for (const std::size_t i : group.records) {
    part.records.push_back(selected.records[i]);
  }
  for (const auto& key : group.planned) {
    if (const auto found = selected.batch_references.find(key);
        found != selected.batch_references.end()) {
      part.batch_references.insert(*found);
    }
  }
  return part;
}

}  // namespace qa::runner
