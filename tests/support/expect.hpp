#pragma once

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace qa::test {

// Return whether `text` holds `part`.
[[nodiscard]] inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace qa::test

// Expect `text` to hold `part`, printing both when it does not.
#define EXPECT_CONTAINS(text, part) \
  EXPECT_TRUE(::qa::test::contains((text), (part))) << "missing \"" << (part) << "\" in: " << (text)
