#include <qa/store/scheme.hpp>

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <qa/store/local_backend.hpp>
#include <qa/store/memory_backend.hpp>
#include <qa/util/strings.hpp>
#include <qa/util/url.hpp>

namespace qa::store {

namespace {

Expected<std::unique_ptr<Backend>> open_local(std::string_view location, Access access) {
  if (util::to_lower(location.substr(0, 7)) == "file://") {
    location.remove_prefix(7);
  }
  QA_TRY_ASSIGN(auto backend, LocalBackend::open(std::filesystem::path(location), access));
  return std::unique_ptr<Backend>(std::move(backend));
}

Expected<std::unique_ptr<Backend>> open_memory(std::string_view /*location*/, Access /*access*/) {
  return std::unique_ptr<Backend>(std::make_unique<MemoryBackend>());
}

Expected<std::unique_ptr<Backend>> open_unlinked_http(std::string_view location,
                                                      Access /*access*/) {
  return fail_as(ErrorKind::environment,
                 "cannot use store {}: this program was built without the http backend",
                 quote(util::redact_url(location)));
}

struct Scheme {
  std::string prefix;  // lowercase
  BackendOpener open;
};

// Backends by URL scheme; a location without one is a local folder. The http(s) and s3 entries are
// replaced by register_scheme() in programs that link the http backend.
struct SchemeTable {
  std::mutex mutex;
  std::vector<Scheme> schemes{{"file://", open_local},
                              {"memory://", open_memory},
                              {"http://", open_unlinked_http},
                              {"https://", open_unlinked_http},
                              {"s3://", open_unlinked_http}};
};

SchemeTable& scheme_table() {
  static SchemeTable table;
  return table;
}

std::optional<BackendOpener> find_opener(std::string_view location) {
  const std::string lowered = util::to_lower(location.substr(0, location.find("://") + 3));
  auto& table = scheme_table();
  const std::lock_guard lock(table.mutex);
  for (const auto& scheme : table.schemes) {
    if (lowered == scheme.prefix) {
      return scheme.open;
    }
  }
  return std::nullopt;
}

}  // namespace

void register_scheme(std::string_view prefix, BackendOpener open) {
  const std::string lowered = util::to_lower(prefix);
  auto& table = scheme_table();
  const std::lock_guard lock(table.mutex);
  for (auto& scheme : table.schemes) {
    if (scheme.prefix == lowered) {
      scheme.open = std::move(open);
      return;
    }
  }
  table.schemes.push_back(Scheme{lowered, std::move(open)});
}

Expected<std::unique_ptr<Backend>> open_backend(std::string_view location, Access access) {
  if (location.empty()) {
    return fail_as(ErrorKind::usage, "cannot open store: no location given");
  }
  if (location.find("://") == std::string_view::npos) {
    return open_local(location, access);
  }
  if (const auto open = find_opener(location)) {
    return (*open)(location, access);
  }
  return fail_as(ErrorKind::config,
                 "cannot open store {}: unknown scheme (use a folder, file://, http://, "
                 "https:// or s3://)",
                 quote(util::redact_url(location)));
}

}  // namespace qa::store
