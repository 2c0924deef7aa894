#include <qa/core/json_text.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>

namespace qa::core {
namespace {

std::string value_text(const nlohmann::json& value, InvalidUtf8 invalid = InvalidUtf8::error) {
  std::string out;
  append_json_value(value, out, invalid);
  return out;
}

TEST(JsonTextTest, ValuesAreWrittenAsDumpWritesThem) {
  const auto values = nlohmann::json::parse(R"([
    null, true, false, 0, -0, 1, -1, 9223372036854775807, -9223372036854775808,
    18446744073709551615, 0.0, -0.0, 1.0, -1.5, 0.1, 1e-7, 1.5e300, 123456789012345678.0,
    0.000676132521974307, "", "plain", "tab\there", "quote\" and \\ back", "é ü 漢字",
    "\u0001\u001f", [], {}, [1, [2, [3, {}]]],
    {"b": {"nested": [1.25, "x", null]}, "a": 2, "": "empty key", "é": true}
  ])");
  for (const auto& value : values) {
    EXPECT_EQ(value_text(value), value.dump()) << value.dump();
  }
  EXPECT_EQ(value_text(values), values.dump());
}

TEST(JsonTextTest, DoublesAreWrittenAsDumpWritesThem) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<int> exponent(-300, 300);
  for (int i = 0; i < 20000; ++i) {
    const double value = (unit(random) - 0.5) * std::pow(10.0, exponent(random) % 20);
    std::string out;
    append_json_number(value, out);
    ASSERT_EQ(out, nlohmann::json(value).dump()) << value;
    const double wide = unit(random) * std::pow(10.0, exponent(random));
    out.clear();
    append_json_value(nlohmann::json(wide), out);
    ASSERT_EQ(out, nlohmann::json(wide).dump()) << wide;
  }
}

TEST(JsonTextTest, NotANumberAndInfinitiesAreNull) {
  for (const double value :
       {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity()}) {
    std::string out;
    append_json_number(value, out);
    EXPECT_EQ(out, "null");
    EXPECT_EQ(value_text(nlohmann::json(value)), nlohmann::json(value).dump());
  }
}

TEST(JsonTextTest, InvalidUtf8IsRefusedOrReplacedAsDumpDoes) {
  const nlohmann::json bad = {{"key", std::string("a\xff"
                                                  "b")}};
  EXPECT_THROW((void)value_text(bad), nlohmann::json::type_error);
  EXPECT_EQ(value_text(bad, InvalidUtf8::replace),
            bad.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  const nlohmann::json bad_key = {{std::string("k\xc3"), 1}};
  EXPECT_EQ(value_text(bad_key, InvalidUtf8::replace),
            bad_key.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace
}  // namespace qa::core
