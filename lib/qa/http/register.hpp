#pragma once

namespace qa::http {

// Make store::Store::open serve `http://` and `https://` locations with the http backend
// (settings from the environment, see settings.hpp) and `s3://` ones with the S3 backend
// (s3_settings.hpp). Tools that may talk to a remote store call
// it first thing in main(); libqa itself never links libcurl.
void register_schemes();

// Make `qa-report --comment gitlab|github` post its Markdown summary on the merge or pull
// request with the forge REST client (forge_comment.hpp), through
// report::register_comment_poster(). qa-report's main calls it first thing.
void register_forges();

}  // namespace qa::http
