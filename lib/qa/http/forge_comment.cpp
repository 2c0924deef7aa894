#include <qa/http/forge_comment.hpp>

#include <nlohmann/json.hpp>

#include <qa/http/client.hpp>
#include <qa/util/url.hpp>

namespace qa::http {

namespace {

using report::CommentAction;
using report::CommentOutcome;
using report::Forge;

constexpr int k_per_page = 100;

// The requests of one comment update, over one client, each with the target's headers.
class ForgeClient {
 public:
  ForgeClient(const ForgeTarget& target, int retries)
      : m_target(target), m_client(make_settings(target, retries)) {}

  // Send `method` on `path` (with `query`, and `body` as JSON when not empty); return the
  // response, whatever its status, or an error when no answer came.
  Expected<Response> send(Method method, const std::string& path, const std::string& query = "",
                          const std::string& body = "") {
    std::vector<Request> requests(1);
    Request& request = requests.front();
    request.method = method;
    request.path = path;
    request.query = query;
    request.upload_body = body;
    request.headers = m_target.headers;
    if (!body.empty()) {
      request.headers.emplace_back("Content-Type: application/json");
    }
    auto responses = m_client.perform(requests);
    Response& response = responses.front();
    if (response.error) {
      return tl::unexpected(
          Error{fmt::format("{}: {}", what(method, path, query), response.error->message),
                response.error->kind});
    }
    return std::move(response);
  }

  // Return the error of `response`, an unexpected answer to `method` on `path` and `query`.
  [[nodiscard]] Error refused(Method method, const std::string& path, const std::string& query,
                              const Response& response) const {
    const std::string request = what(method, path, query);
    if (response.status == 401) {
      return Error{fmt::format("{}: the server answered 401: the token of {} was refused (expired "
                               "or revoked?)",
                               request, m_target.token_variable),
                   ErrorKind::environment};
    }
    if (response.status == 403) {
      return Error{
          fmt::format("{}: the server answered 403: the token of {} is not allowed to do it ({})",
                      request, m_target.token_variable,
                      m_target.forge == Forge::gitlab
                          ? "it needs the api scope; a note can be edited by its author only"
                          : "the workflow needs `permissions: pull-requests: write`"),
          ErrorKind::environment};
    }
    return Error{
        fmt::format("{}: the server answered {}{}", request, response.status,
                    response.attempts > 1 ? fmt::format(" ({} attempts)", response.attempts)
                                          : std::string()),
        ErrorKind::environment};
  }

 private:
  static Settings make_settings(const ForgeTarget& target, int retries) {
    Settings settings;
    settings.base_url = target.api_url;
    settings.ca_bundle = target.ca_bundle;
    settings.jobs = 1;
    settings.retries = retries;
    return settings;
  }

  [[nodiscard]] std::string what(Method method, const std::string& path,
                                 const std::string& query) const {
    std::string url = m_client.url(path);
    if (!query.empty()) {
      url += "?" + query;
    }
    return fmt::format("cannot {} {}", method_name(method), quote(util::redact_url(url)));
  }

  const ForgeTarget& m_target;
  Client m_client;
};

// Return the page after `page` of a listing answered by `response` holding `count` comments, or
// nothing on the last page: GitLab says it in `X-Next-Page` (empty on the last), GitHub in
// `Link`; without either header, a short page is the last.
std::optional<std::int64_t> next_page(const ForgeTarget& target, const Response& response,
                                      std::int64_t page, std::size_t count) {
  if (target.forge == Forge::gitlab) {
    if (const auto next = response.header("x-next-page")) {
      const auto number = positive_number(*next);
      return number && *number > page ? number : std::nullopt;
    }
  } else if (const auto link = response.header("link")) {
    return link_has_next(*link) ? std::optional<std::int64_t>(page + 1) : std::nullopt;
  }
  return count >= static_cast<std::size_t>(k_per_page) ? std::optional<std::int64_t>(page + 1)
                                                       : std::nullopt;
}

// Return the id of the oldest comment of `target` that starts with `marker`, or nothing.
Expected<std::optional<std::int64_t>> find_comment(ForgeClient& client, const ForgeTarget& target,
                                                   const std::string& marker) {
  std::optional<std::int64_t> page = 1;
  for (int read = 0; page && read < k_max_comment_pages; ++read) {
    const std::string query = fmt::format(
        "{}per_page={}&page={}",
        target.forge == Forge::gitlab ? "sort=asc&order_by=created_at&" : "", k_per_page, *page);
    QA_TRY_ASSIGN(const Response response, client.send(Method::get, target.comments_path, query));
    if (response.status != 200) {
      return tl::unexpected(client.refused(Method::get, target.comments_path, query, response));
    }
    QA_TRY_ASSIGN(const auto comments, parse_comment_page(response.body));
    for (const auto& comment : comments) {
      if (has_marker(comment.body, marker)) {
        return comment.id;
      }
    }
    page = next_page(target, response, *page, comments.size());
  }
  return std::nullopt;
}

std::string json_body(const std::string& markdown) {
  // Invalid UTF-8 (from a file name, say) is replaced rather than refused.
  return nlohmann::json{{"body", markdown}}.dump(-1, ' ', false,
                                                 nlohmann::json::error_handler_t::replace);
}

std::string noun(Forge forge) { return forge == Forge::gitlab ? "note" : "comment"; }

}  // namespace

Expected<CommentOutcome> update_review_comment(const ForgeTarget& target,
                                               const report::CommentRequest& request, int retries) {
  ForgeClient client(target, retries);
  const std::string body = json_body(request.body);
  QA_TRY_ASSIGN(const auto found, find_comment(client, target, request.marker));
  if (found) {
    const std::string path = fmt::format("{}/{}", target.comment_path_base, *found);
    const Method method = target.forge == Forge::gitlab ? Method::put : Method::patch;
    QA_TRY_ASSIGN(const Response response, client.send(method, path, "", body));
    if (response.status == 200) {
      return CommentOutcome{CommentAction::updated,
                            fmt::format("{} {} on {}", noun(target.forge), *found, target.where)};
    }
    if (response.status != 404) {  // 404: deleted since it was listed, create another
      return tl::unexpected(client.refused(method, path, "", response));
    }
  }
  QA_TRY_ASSIGN(const Response response, client.send(Method::post, target.comments_path, "", body));
  if (response.status != 201 && response.status != 200) {
    return tl::unexpected(client.refused(Method::post, target.comments_path, "", response));
  }
  const auto created = nlohmann::json::parse(response.body, nullptr, false);
  const std::string id = created.is_object() && created.contains("id") ? created["id"].dump() : "?";
  return CommentOutcome{CommentAction::created,
                        fmt::format("{} {} on {}", noun(target.forge), id, target.where)};
}

Expected<CommentOutcome> post_review_comment(const report::CommentRequest& request) {
  auto target = forge_target_from_environment(request.forge);
  if (!target) {
    return CommentOutcome{CommentAction::skipped, target.error().message};
  }
  return update_review_comment(*target, request);
}

}  // namespace qa::http
