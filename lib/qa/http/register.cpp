#include <qa/http/register.hpp>

#include <qa/http/forge_comment.hpp>
#include <qa/http/http_backend.hpp>
#include <qa/http/s3_backend.hpp>
#include <qa/http/s3_settings.hpp>
#include <qa/http/settings.hpp>
#include <qa/report/review_comment.hpp>
#include <qa/store/scheme.hpp>

namespace qa::http {

namespace {

Expected<std::unique_ptr<store::Backend>> open_http(std::string_view location,
                                                    store::Access /*access*/) {
  QA_TRY_ASSIGN(auto settings, settings_from_environment(location));
  return std::unique_ptr<store::Backend>(std::make_unique<HttpBackend>(std::move(settings)));
}

Expected<std::unique_ptr<store::Backend>> open_s3(std::string_view location,
                                                  store::Access /*access*/) {
  QA_TRY_ASSIGN(auto s3_location, s3_location_from_environment(location));
  return std::unique_ptr<store::Backend>(std::make_unique<S3Backend>(std::move(s3_location)));
}

}  // namespace

void register_schemes() {
  store::register_scheme("http://", open_http);
  store::register_scheme("https://", open_http);
  store::register_scheme("s3://", open_s3);
}

void register_forges() { report::register_comment_poster(post_review_comment); }

}  // namespace qa::http
