#include <qa/core/visualizations.hpp>

#include <gtest/gtest.h>

namespace qa::core {
namespace {

namespace fs = std::filesystem;

Expected<std::vector<Visualization>> parse(const std::string& yaml) {
  return parse_visualizations(YAML::Load(yaml)["visualizations"], "qaboard.yaml");
}

TEST(Visualizations, AbsentOrNullIsNone) {
  EXPECT_TRUE(parse("other: 1")->empty());
  EXPECT_TRUE(parse("visualizations:\n# - path: output.jpg\n")->empty());
}

TEST(Visualizations, QaBoardFieldsAndDefaults) {
  const auto parsed = parse(R"(visualizations:
- path: output.jpg
- name: Debug
  path: debug.jpg
  default_hidden: true
  type: image/jpg
  display: all
  style: {width: 400px}
  show_3d: true
- name: project viewer
  type: 6dof/txt
)");
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 3U);
  EXPECT_EQ((*parsed)[0].name, "output.jpg") << "the name defaults to the path";
  EXPECT_FALSE((*parsed)[0].default_hidden);
  EXPECT_EQ((*parsed)[0].display, "single");
  EXPECT_EQ((*parsed)[0].line, 2);
  EXPECT_EQ((*parsed)[1].name, "Debug");
  EXPECT_TRUE((*parsed)[1].default_hidden);
  EXPECT_EQ((*parsed)[1].type, "image/jpg");
  EXPECT_EQ((*parsed)[1].display, "all");
  EXPECT_TRUE((*parsed)[2].path.empty());
  EXPECT_FALSE(matches_output((*parsed)[2], "anything"));
}

TEST(Visualizations, PathPatternsMatchWholeOutputPaths) {
  const auto parsed = parse(R"yaml(visualizations:
- path: output.jpg
- path: ":frame/output.jpg"
- path: "(debug_.*\\.jpg)"
- path: ":frame/frame_:number.jpg"
- path: "plots/*"
)yaml");
  ASSERT_TRUE(parsed) << parsed.error().message;
  const auto& v = *parsed;
  EXPECT_TRUE(matches_output(v[0], "output.jpg"));
  EXPECT_FALSE(matches_output(v[0], "outputXjpg")) << "the dot is literal";
  EXPECT_FALSE(matches_output(v[0], "a/output.jpg"));
  EXPECT_TRUE(matches_output(v[1], "12/output.jpg"));
  EXPECT_FALSE(matches_output(v[1], "a/b/output.jpg")) << ":name is one segment";
  EXPECT_TRUE(matches_output(v[2], "debug_1.jpg"));
  EXPECT_FALSE(matches_output(v[2], "debug_1.png"));
  EXPECT_TRUE(matches_output(v[3], "3/frame_007.jpg"));
  EXPECT_TRUE(matches_output(v[4], "plots/a/b.json"));
}

TEST(Visualizations, ErrorsNameTheFileTheLineAndTheKey) {
  const auto not_list = parse("visualizations: {path: a.png}");
  ASSERT_FALSE(not_list);
  EXPECT_EQ(not_list.error().message,
            "cannot read \"qaboard.yaml\": line 1: \"outputs.visualizations\" must be a list of "
            "visualizations");
  const auto hidden =
      parse("visualizations:\n- path: a.png\n- path: b.png\n  default_hidden: maybe\n");
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().message,
            "cannot read \"qaboard.yaml\": line 4: \"outputs.visualizations[1].default_hidden\" "
            "must be true or false");
  const auto display = parse("visualizations:\n- {path: a.png, display: some}\n");
  ASSERT_FALSE(display);
  EXPECT_NE(display.error().message.find("line 2: \"outputs.visualizations[0].display\" must be "
                                         "single, all or viewer, not \"some\""),
            std::string::npos)
      << display.error().message;
  const auto path = parse("visualizations:\n- path: [a, b]\n");
  ASSERT_FALSE(path);
  EXPECT_NE(path.error().message.find("\"outputs.visualizations[0].path\" must be a string"),
            std::string::npos);
  const auto regex = parse("visualizations:\n- path: \"(a\"\n");
  ASSERT_FALSE(regex);
  EXPECT_NE(regex.error().message.find("line 2: \"outputs.visualizations[0].path\": unbalanced"),
            std::string::npos)
      << regex.error().message;
  const auto deep = parse("visualizations:\n- path: \"" + std::string(9, '(') + "a" +
                          std::string(9, ')') + "\"\n");
  ASSERT_FALSE(deep);
  EXPECT_NE(deep.error().message.find("groups nest deeper than 8 levels"), std::string::npos)
      << deep.error().message;
  const auto long_path = parse("visualizations:\n- path: " + std::string(600, 'a') + "\n");
  ASSERT_FALSE(long_path);
  EXPECT_NE(long_path.error().message.find("longer than 512 characters"), std::string::npos);
  const auto counted = parse("visualizations:\n- path: \"((a{999}){999})\"\n");
  ASSERT_FALSE(counted);
  EXPECT_NE(counted.error().message.find("counted repetitions"), std::string::npos);
  const auto item = parse("visualizations:\n- a.png\n");
  ASSERT_FALSE(item);
  EXPECT_NE(item.error().message.find("\"outputs.visualizations[0]\" must be a mapping"),
            std::string::npos);
}

TEST(Visualizations, RunFilesStayInsideTheProjectOrTheDatabase) {
  const auto parsed = parse(R"(visualizations:
- {name: Input, path: "{input_path}"}
- {name: Ground truth, path: "{project_root}/data/clean/{rel_input_path}"}
- {name: Sidecar, path: "{database}/{rel_input_path}.json"}
- {name: Relative, path: "gt/{rel_input_path}"}
- {name: Escape, path: "{project_root}/../etc/passwd"}
- {name: Output, path: out.png}
)");
  ASSERT_TRUE(parsed) << parsed.error().message;
  const auto& v = *parsed;
  const VisualizationValues values{"/db/images/a.png", "images/a.png", "/project", "/db"};
  EXPECT_TRUE(names_run_file(v[0]));
  EXPECT_FALSE(names_run_file(v[5]));
  EXPECT_FALSE(matches_output(v[0], "{input_path}")) << "a run file never matches outputs";
  EXPECT_EQ(visualization_file(v[0], values), fs::path("/db/images/a.png"));
  EXPECT_EQ(visualization_file(v[1], values), fs::path("/project/data/clean/images/a.png"));
  EXPECT_EQ(visualization_file(v[2], values), fs::path("/db/images/a.png.json"));
  EXPECT_EQ(visualization_file(v[3], values), fs::path("/project/gt/images/a.png"));
  EXPECT_EQ(visualization_file(v[4], values), std::nullopt);
  const VisualizationValues escaping{"/db/../x.png", "../../../x.png", "/project", "/db"};
  EXPECT_EQ(visualization_file(v[0], escaping), std::nullopt);
  EXPECT_EQ(visualization_file(v[1], escaping), std::nullopt);
}

}  // namespace
}  // namespace qa::core
