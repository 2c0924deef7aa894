#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include <qa/store/backend.hpp>
#include <qa/util/error.hpp>

namespace qa::store {

// Open the backend of a store location (the whole location, URL scheme included).
using BackendOpener =
    std::function<Expected<std::unique_ptr<Backend>>(std::string_view location, Access access)>;

// Make open_backend use `open` for locations that start with `prefix` (such as `https://`,
// compared without regard to case), replacing the opener registered for the same prefix.
// Programs that link a backend library register it at startup (qa::http::register_schemes()
// for http and https); without that, `http(s)://` locations fail with a message that says so.
// Thread-safe.
void register_scheme(std::string_view prefix, BackendOpener open);

// Open the backend of `location` from the scheme table: `file://` or a path without scheme for
// the local folder, `memory://` for an in-memory store, a registered scheme for the others. A
// scheme that no backend serves (`ftp://`) is an error naming it. Messages never show the
// userinfo of a URL.
[[nodiscard]] Expected<std::unique_ptr<Backend>> open_backend(std::string_view location,
                                                              Access access);

}  // namespace qa::store
