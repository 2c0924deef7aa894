// The Store's milestones (store.hpp, "Milestones").
#include <qa/store/store.hpp>

#include <algorithm>
#include <chrono>

#include <qa/core/config.hpp>
#include <qa/core/run_key.hpp>
#include <qa/store/json_fields.hpp>
#include <qa/util/json_depth.hpp>

namespace qa::store {

namespace {

constexpr std::string_view k_milestone_schema = "qa.milestone/1";
constexpr std::size_t k_max_name = 100;

std::string milestone_folder(std::string_view project) {
  return fmt::format("{}/milestones", project);
}

}  // namespace

Expected<void> check_milestone_name(std::string_view name) {
  const bool valid = !name.empty() && name.size() <= k_max_name && name.front() != '.' &&
                     name.front() != '-' && std::all_of(name.begin(), name.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
                     });
  if (!valid) {
    return fail_as(ErrorKind::usage,
                   "invalid milestone name {}: use 1 to {} letters, digits, '.', '_' or '-', "
                   "not starting with '.' or '-'",
                   quote(name), k_max_name);
  }
  return {};
}

Expected<std::optional<Milestone>> Store::get_milestone(std::string_view project,
                                                        std::string_view name) {
  QA_TRY(core::check_project_name(project));
  QA_TRY(check_milestone_name(name));
  const std::string path = fmt::format("{}/{}.json", milestone_folder(project), name);
  QA_TRY_ASSIGN(const auto text, m_backend->get_document(path));
  if (!text) {
    return std::optional<Milestone>();
  }
  QA_TRY(util::check_json_depth(*text, path));
  const auto json = nlohmann::json::parse(*text, nullptr, false);
  const std::string* commit = string_field(json, "commit");
  if (!has_string_field(json, "schema", k_milestone_schema) ||
      !has_string_field(json, "name", name) || commit == nullptr ||
      !core::check_commit_key(*commit)) {
    return fail("invalid milestone {} in store {}: not a {} document naming {} and a commit",
                quote(path), quote(describe()), k_milestone_schema, quote(name));
  }
  const std::string* created_at = string_field(json, "created_at");
  return std::optional<Milestone>(
      Milestone{std::string(name), *commit, created_at != nullptr ? *created_at : ""});
}

Expected<void> Store::put_milestone(std::string_view project, const Milestone& milestone) {
  QA_TRY(check_writable("milestone " + quote(milestone.name)));
  QA_TRY(core::check_project_name(project));
  QA_TRY(check_milestone_name(milestone.name));
  QA_TRY(core::check_commit_key(milestone.commit));
  const nlohmann::json document{{"schema", k_milestone_schema},
                                {"name", milestone.name},
                                {"commit", milestone.commit},
                                {"created_at", milestone.created_at}};
  return m_backend->put_document(
      fmt::format("{}/{}.json", milestone_folder(project), milestone.name),
      document.dump(2) + "\n");
}

Expected<std::vector<Milestone>> Store::list_milestones(std::string_view project) {
  QA_TRY_ASSIGN(const auto names, m_backend->list_documents(milestone_folder(project)));
  std::vector<Milestone> milestones;
  for (const auto& file : names) {
    if (!file.ends_with(".json") || file.find('/') != std::string::npos || file.starts_with(".")) {
      continue;  // not a milestone (a temporary file of a write in progress)
    }
    const std::string name = file.substr(0, file.size() - 5);
    QA_TRY_ASSIGN(auto milestone, get_milestone(project, name));
    if (milestone) {  // else removed since the listing
      milestones.push_back(std::move(*milestone));
    }
  }
  return milestones;
}

}  // namespace qa::store
