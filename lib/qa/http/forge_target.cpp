#include <qa/http/forge_target.hpp>

#include <algorithm>
#include <charconv>
#include <initializer_list>

#include <nlohmann/json.hpp>

#include <qa/util/env.hpp>
#include <qa/util/file.hpp>
#include <qa/util/strings.hpp>
#include <qa/util/url.hpp>

namespace qa::http {

namespace {

using report::Forge;

std::optional<std::int64_t> json_number(const nlohmann::json& value) {
  if (value.is_number_integer() && value.get<std::int64_t>() > 0) {
    return value.get<std::int64_t>();
  }
  return std::nullopt;
}

// Return an error whose message is the reason to skip the comment.
tl::unexpected<Error> skip(std::string message) {
  return tl::unexpected(Error{std::move(message), ErrorKind::environment});
}

// Return the API URL `url` without final `/`, or an error when it is not http(s) without
// userinfo.
Expected<std::string> api_url(std::string url, const char* variable) {
  while (url.ends_with('/')) {
    url.pop_back();
  }
  if (!(url.starts_with("https://") || url.starts_with("http://")) ||
      util::has_control_character(url) || util::userinfo_end(url) != std::string::npos) {
    return skip(fmt::format("{} is not an http(s) URL without credentials: {}", variable,
                            quote(util::redact_url(url))));
  }
  return url;
}

// Return the first of `variables` that is set and its value.
std::optional<std::pair<std::string, std::string>> token_from(
    std::initializer_list<const char*> variables) {
  for (const char* variable : variables) {
    if (auto value = util::env_value(variable)) {
      return std::pair{std::string(variable), std::move(*value)};
    }
  }
  return std::nullopt;
}

Expected<ForgeTarget> gitlab_target() {
  const auto iid = util::env_value("CI_MERGE_REQUEST_IID");
  if (!iid) {
    return skip("CI_MERGE_REQUEST_IID is not set: not a merge request pipeline");
  }
  if (!positive_number(*iid)) {
    return skip(fmt::format("CI_MERGE_REQUEST_IID is not a number: {}", quote(*iid)));
  }
  const auto project = util::env_value("CI_PROJECT_ID");
  if (!project || !positive_number(*project)) {
    return skip(project ? fmt::format("CI_PROJECT_ID is not a number: {}", quote(*project))
                        : std::string("CI_PROJECT_ID is not set"));
  }
  const auto url = util::env_value("CI_API_V4_URL");
  if (!url) {
    return skip("CI_API_V4_URL is not set");
  }
  const auto token = token_from({"QA_GITLAB_TOKEN", "GITLAB_TOKEN"});
  if (!token) {
    return skip(
        "neither QA_GITLAB_TOKEN nor GITLAB_TOKEN is set (an access token with the api scope)");
  }
  if (util::has_control_character(token->second)) {
    return skip(fmt::format("{} holds a control character (a line break?)", token->first));
  }
  ForgeTarget target;
  target.forge = Forge::gitlab;
  QA_TRY_ASSIGN(target.api_url, api_url(*url, "CI_API_V4_URL"));
  target.ca_bundle = util::env_value("CI_SERVER_TLS_CA_FILE").value_or("");
  target.where = fmt::format("merge request !{}", *iid);
  target.comments_path = fmt::format("projects/{}/merge_requests/{}/notes", *project, *iid);
  target.comment_path_base = target.comments_path;
  target.token_variable = token->first;
  target.headers = {"PRIVATE-TOKEN: " + token->second};
  return target;
}

Expected<std::int64_t> github_pull_request() {
  if (const auto event_path = util::env_value("GITHUB_EVENT_PATH")) {
    auto event = util::read_file(*event_path);
    if (event) {
      if (const auto number = pull_request_from_event(*event)) {
        return *number;
      }
    }
  }
  if (const auto ref = util::env_value("GITHUB_REF")) {
    if (const auto number = pull_request_from_ref(*ref)) {
      return *number;
    }
  }
  return skip(
      "no pull request in GITHUB_EVENT_PATH (pull_request.number) nor GITHUB_REF "
      "(refs/pull/<n>/merge): not a pull request workflow");
}

bool valid_repository(std::string_view repository) {
  const auto slash = repository.find('/');
  return slash != std::string_view::npos && slash > 0 && slash + 1 < repository.size() &&
         repository.find('/', slash + 1) == std::string_view::npos &&
         std::all_of(repository.begin(), repository.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.' || c == '/';
         });
}

Expected<ForgeTarget> github_target() {
  QA_TRY_ASSIGN(const std::int64_t number, github_pull_request());
  const auto repository = util::env_value("GITHUB_REPOSITORY");
  if (!repository) {
    return skip("GITHUB_REPOSITORY is not set");
  }
  if (!valid_repository(*repository)) {
    return skip(fmt::format("GITHUB_REPOSITORY is not owner/repo: {}", quote(*repository)));
  }
  const auto token = token_from({"GITHUB_TOKEN"});
  if (!token) {
    return skip("GITHUB_TOKEN is not set");
  }
  if (util::has_control_character(token->second)) {
    return skip("GITHUB_TOKEN holds a control character (a line break?)");
  }
  ForgeTarget target;
  target.forge = Forge::github;
  QA_TRY_ASSIGN(target.api_url,
                api_url(util::env_value("GITHUB_API_URL").value_or("https://api.github.com"),
                        "GITHUB_API_URL"));
  target.where = fmt::format("pull request #{}", number);
  target.comments_path = fmt::format("repos/{}/issues/{}/comments", *repository, number);
  target.comment_path_base = fmt::format("repos/{}/issues/comments", *repository);
  target.token_variable = token->first;
  target.headers = {"Authorization: Bearer " + token->second, "Accept: application/vnd.github+json",
                    "X-GitHub-Api-Version: 2022-11-28"};
  return target;
}

// Return whether the parameters `params` of one link (`; rel="next"`, any case) have the
// relation `next` (`rel` may list several, separated by spaces).
bool rel_is_next(std::string_view params) {
  std::string lower(params);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; });
  const auto rel = lower.find("rel=");
  if (rel == std::string::npos) {
    return false;
  }
  std::string_view value = std::string_view(lower).substr(rel + 4);
  if (value.starts_with('"')) {
    value = value.substr(1, value.find('"', 1) - 1);
  } else {
    value = value.substr(0, value.find(';'));
  }
  std::size_t start = 0;
  while (start <= value.size()) {
    const auto end = std::min(value.find(' ', start), value.size());
    if (value.substr(start, end - start) == "next") {
      return true;
    }
    start = end + 1;
  }
  return false;
}

}  // namespace

std::optional<std::int64_t> positive_number(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
    return std::nullopt;
  }
  return value;
}

Expected<ForgeTarget> forge_target_from_environment(Forge forge) {
  return forge == Forge::gitlab ? gitlab_target() : github_target();
}

std::optional<std::int64_t> pull_request_from_event(std::string_view event_json) {
  const auto event = nlohmann::json::parse(event_json, nullptr, /*allow_exceptions=*/false);
  if (!event.is_object()) {
    return std::nullopt;
  }
  const auto pull = event.find("pull_request");
  if (pull != event.end() && pull->is_object() && pull->contains("number")) {
    return json_number(pull->at("number"));
  }
  const auto issue = event.find("issue");
  if (issue != event.end() && issue->is_object() && issue->contains("pull_request") &&
      issue->contains("number")) {
    return json_number(issue->at("number"));
  }
  return std::nullopt;
}

std::optional<std::int64_t> pull_request_from_ref(std::string_view ref) {
  constexpr std::string_view prefix = "refs/pull/";
  if (!ref.starts_with(prefix)) {
    return std::nullopt;
  }
  ref.remove_prefix(prefix.size());
  const auto slash = ref.find('/');
  if (slash == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view rest = ref.substr(slash);
  if (rest != "/merge" && rest != "/head") {
    return std::nullopt;
  }
  return positive_number(ref.substr(0, slash));
}

bool link_has_next(std::string_view link) {
  // `<https://api.github.com/...&page=2>; rel="next", <...>; rel="last"`: each link is a URL in
  // angle brackets (which may hold commas) followed by its parameters up to the next `,`.
  std::size_t start = 0;
  while (true) {
    const auto open = link.find('<', start);
    const auto close = open == std::string_view::npos ? open : link.find('>', open);
    if (close == std::string_view::npos) {
      return false;
    }
    const auto end = link.find(',', close);
    if (rel_is_next(
            link.substr(close + 1, end == std::string_view::npos ? end : end - close - 1))) {
      return true;
    }
    if (end == std::string_view::npos) {
      return false;
    }
    start = end + 1;
  }
}

bool has_marker(std::string_view body, std::string_view marker) {
  const auto first = body.find_first_not_of(" \t\r\n");
  return !marker.empty() && first != std::string_view::npos &&
         body.substr(first).starts_with(marker);
}

Expected<std::vector<ListedComment>> parse_comment_page(std::string_view page) {
  const auto json = nlohmann::json::parse(page, nullptr, /*allow_exceptions=*/false);
  if (!json.is_array()) {
    return fail("the comment listing is not a JSON array");
  }
  std::vector<ListedComment> comments;
  for (const auto& item : json) {
    if (!item.is_object()) {
      continue;
    }
    const auto id = item.find("id");
    const auto body = item.find("body");
    if (id == item.end() || !id->is_number_integer() || body == item.end() || !body->is_string()) {
      continue;
    }
    comments.push_back({id->get<std::int64_t>(), body->get<std::string>()});
  }
  return comments;
}

}  // namespace qa::http
