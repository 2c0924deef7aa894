#include <qa/report/ci_links.hpp>

#include <qa/util/env.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>

namespace qa::report {

namespace {

bool is_web_url(std::string_view url) {
  const bool web = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
  // Whitespace or quotes cannot be part of a URL a variable of the CI names.
  return web && std::none_of(url.begin(), url.end(), [](char c) {
           return static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '<' || c == '>';
         });
}

std::string web_url(std::string url) { return is_web_url(url) ? url : std::string(); }

std::string trimmed(std::string url) {
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  return url;
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The pull request number of a GITHUB_REF "refs/pull/<N>/merge" (or ".../head").
std::optional<std::string> pull_number(std::string_view ref) {
  constexpr std::string_view k_prefix = "refs/pull/";
  if (ref.rfind(k_prefix, 0) != 0) {
    return std::nullopt;
  }
  ref.remove_prefix(k_prefix.size());
  const auto slash = ref.find('/');
  const std::string_view number = ref.substr(0, slash);
  return all_digits(number) ? std::optional<std::string>(number) : std::nullopt;
}

}  // namespace

ReportLinks ci_links(std::string_view commit) {
  using util::env_value;
  ReportLinks links;
  // A commit is linked when it is a hexadecimal sha (not "dirty" markers or names).
  const bool known_commit =
      !commit.empty() && std::all_of(commit.begin(), commit.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      });
  if (const auto project = env_value("CI_PROJECT_URL"); project && is_web_url(*project)) {
    const std::string base = trimmed(*project);
    if (known_commit) {
      links.commit = fmt::format("{}/-/commit/{}", base, commit);
    }
    if (const auto iid = env_value("CI_MERGE_REQUEST_IID"); iid && all_digits(*iid)) {
      links.merge_request = fmt::format("{}/-/merge_requests/{}", base, *iid);
    }
    links.job = web_url(env_value("CI_JOB_URL").value_or(""));
    return links;
  }
  const auto server = env_value("GITHUB_SERVER_URL");
  const auto repository = env_value("GITHUB_REPOSITORY");
  if (!server || !repository || !is_web_url(*server)) {
    return links;
  }
  const std::string base = fmt::format("{}/{}", trimmed(*server), *repository);
  if (!is_web_url(base)) {
    return links;
  }
  if (known_commit) {
    links.commit = fmt::format("{}/commit/{}", base, commit);
  }
  if (const auto number = pull_number(env_value("GITHUB_REF").value_or(""))) {
    links.merge_request = fmt::format("{}/pull/{}", base, *number);
  }
  if (const auto run = env_value("GITHUB_RUN_ID"); run && all_digits(*run)) {
    links.job = fmt::format("{}/actions/runs/{}", base, *run);
    if (const auto attempt = env_value("GITHUB_RUN_ATTEMPT"); attempt && all_digits(*attempt)) {
      links.job += fmt::format("/attempts/{}", *attempt);
    }
  }
  return links;
}

bool is_link_target(std::string_view url) {
  if (url.empty() || url.starts_with('/')) {
    return false;
  }
  for (const char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f ||
        std::string_view("\"'<>()`\\").find(c) != std::string_view::npos) {
      return false;
    }
  }
  const auto colon = url.find(':');
  const auto slash = url.find('/');
  const bool has_scheme =
      colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash);
  return !has_scheme || url.starts_with("https://") || url.starts_with("http://");
}

std::vector<ShownLink> shown_links(const ReportLinks& links) {
  std::vector<ShownLink> shown;
  for (const auto& [name, url] :
       {std::pair<std::string_view, std::string_view>{"commit", links.commit},
        {"merge request", links.merge_request},
        {"CI job", links.job}}) {
    if (!url.empty()) {
      shown.push_back(ShownLink{name, url, true});
    }
  }
  if (!links.history.empty() && is_link_target(links.history)) {
    shown.push_back(ShownLink{"metric history", links.history, false});
  }
  return shown;
}

}  // namespace qa::report
