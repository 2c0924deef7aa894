#include <qa/core/run_metrics.hpp>

#include <qa/util/file.hpp>
#include <qa/util/json_depth.hpp>

namespace qa::core {

Expected<RunMetrics> read_run_metrics(const std::filesystem::path& file) {
  std::error_code ec;
  const auto status = std::filesystem::symlink_status(file, ec);
  if (!std::filesystem::exists(status)) {
    return RunMetrics{};
  }
  if (!std::filesystem::is_regular_file(status)) {
    // A link could point anywhere (a private file, a fifo that never ends): it is not followed.
    return fail("cannot read metrics {}: not a regular file (a symbolic link is not followed)",
                quote(file.string()));
  }
  if (const auto size = std::filesystem::file_size(file, ec); !ec && size > k_max_metrics_bytes) {
    return fail("cannot read metrics {}: {} bytes, more than metrics may hold ({})",
                quote(file.string()), size, k_max_metrics_bytes);
  }
  QA_TRY_ASSIGN(const std::string text, util::read_file(file));
  QA_TRY(util::check_json_depth(text, file.string()));
  const nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
  if (value.is_discarded()) {
    return fail("cannot read metrics {}: not valid JSON", quote(file.string()));
  }
  if (!value.is_object()) {
    return fail("cannot read metrics {}: expected a JSON object of name -> value, got {}",
                quote(file.string()), value.type_name());
  }
  RunMetrics out;
  for (const auto& [name, item] : value.items()) {
    if (name == "badges" || name == "params" || name == "links") {
      if (!item.is_object()) {
        return fail("cannot read metrics {}: {} must be an object", quote(file.string()),
                    quote(name));
      }
      nlohmann::json& target = name == "links" ? out.links : out.badges;
      target.update(item);
      continue;
    }
    if (item.is_object() && (item.contains("text") || item.contains("href"))) {
      // QA-Board's rich metric, {text, href, icon, intent, style...}: its text is the value
      // and its href a link of the same name; the rest only styles QA-Board's web UI.
      const auto shown = item.find("text");
      if (shown != item.end() && !shown->is_string() && !shown->is_number() &&
          !shown->is_boolean() && !shown->is_null()) {
        return fail("cannot read metrics {}: metric {}: \"text\" must be a string or a number",
                    quote(file.string()), quote(name));
      }
      out.metrics[name] = shown == item.end() ? nlohmann::json() : *shown;
      if (const auto href = item.find("href"); href != item.end() && href->is_string()) {
        out.links[name] = *href;
      }
      continue;
    }
    if (!item.is_number() && !item.is_string() && !item.is_boolean() && !item.is_null()) {
      return fail(
          "cannot read metrics {}: metric {} must be a number, string, bool or "
          "{{\"text\": ..., \"href\": ...}}, not {}",
          quote(file.string()), quote(name), item.type_name());
    }
    out.metrics[name] = item;
  }
  return out;
}

}  // namespace qa::core
