#include <qa/runner/plan_file.hpp>

#include <nlohmann/json.hpp>

#include <qa/util/atomic_file.hpp>
#include <qa/util/file.hpp>

namespace qa::runner {

namespace {

constexpr std::string_view k_schema = "qa.plan/1";

nlohmann::json to_json(const RunSpec& spec) {
  return {{"input", spec.input},
          {"rel_input_path", spec.rel_input_path},
          {"input_path", spec.input_path.string()},
          {"configs", spec.configs},
          {"params", spec.params},
          {"label", spec.label},
          {"key", spec.key},
          {"output_dir", spec.output_dir.string()}};
}

Expected<RunSpec> spec_from_json(const nlohmann::json& run) {
  if (!run.is_object()) {
    return fail("a run is not an object");
  }
  auto text = [&](const char* key) -> Expected<std::string> {
    const auto found = run.find(key);
    if (found == run.end() || !found->is_string()) {
      return fail("a run has no string {}", quote(key));
    }
    return found->get<std::string>();
  };
  RunSpec spec;
  QA_TRY_ASSIGN(spec.input, text("input"));
  QA_TRY_ASSIGN(spec.rel_input_path, text("rel_input_path"));
  QA_TRY_ASSIGN(const auto input_path, text("input_path"));
  spec.input_path = input_path;
  QA_TRY_ASSIGN(spec.label, text("label"));
  QA_TRY_ASSIGN(spec.key, text("key"));
  QA_TRY_ASSIGN(const auto output_dir, text("output_dir"));
  spec.output_dir = output_dir;
  spec.configs = run.contains("configs") ? run["configs"] : nlohmann::json::array();
  spec.params = run.contains("params") ? run["params"] : nlohmann::json::object();
  if (!spec.configs.is_array() || !spec.params.is_object()) {
    return fail("run {}: \"configs\" must be a list and \"params\" an object", quote(spec.key));
  }
  return spec;
}

// The string at `key` of `object`, or "" when there is none.
std::string string_at(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

}  // namespace

Expected<void> write_plan_file(const std::filesystem::path& file, const ProjectContext& context,
                               const std::vector<RunSpec>& specs) {
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& spec : specs) {
    runs.push_back(to_json(spec));
  }
  const nlohmann::json plan{{"schema", k_schema},
                            {"project", context.config.name},
                            {"commit", context.commit.key()},
                            {"runs", std::move(runs)}};
  return util::write_file_atomic(file, plan.dump() + "\n", util::Fsync::yes);
}

Expected<std::vector<RunSpec>> read_plan_file(const std::filesystem::path& file,
                                              const ProjectContext& context) {
  const std::string name = quote(file.string());
  QA_TRY_ASSIGN(const auto text, util::read_file(file));
  const nlohmann::json plan = nlohmann::json::parse(text, nullptr, false);
  if (!plan.is_object() || string_at(plan, "schema") != k_schema || !plan.contains("runs") ||
      !plan["runs"].is_array()) {
    return fail_as(ErrorKind::usage, "{} is not a plan file ({})", name, k_schema);
  }
  if (string_at(plan, "project") != context.config.name) {
    return fail_as(ErrorKind::config, "{} is a plan of the project {}, not of {}", name,
                   quote(string_at(plan, "project")), quote(context.config.name));
  }
  if (string_at(plan, "commit") != context.commit.key()) {
    return fail_as(ErrorKind::environment,
                   "{} was planned at commit {} but the checkout is at {}: the checkout changed "
                   "since the batch was submitted",
                   name, quote(string_at(plan, "commit")), quote(context.commit.key()));
  }
  std::vector<RunSpec> specs;
  for (const auto& run : plan["runs"]) {
    auto spec = spec_from_json(run);
    if (!spec) {
      return fail_as(ErrorKind::usage, "{} is not a valid plan file: {}", name,
                     spec.error().message);
    }
    specs.push_back(std::move(*spec));
  }
  return specs;
}

}  // namespace qa::runner
