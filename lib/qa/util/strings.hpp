#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qa::util {

// Return the edit distance between `a` and `b`: insertions, deletions, substitutions and
// transpositions of neighbouring characters each count 1.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

// Return the candidate closest to `word` when it is close enough to be a likely typo (distance
// at most a third of the word's length, at least 1; or `word` is a prefix of it), else nothing.
[[nodiscard]] std::optional<std::string> did_you_mean(std::string_view word,
                                                      const std::vector<std::string>& candidates);

// Return ` (did you mean "X"?)` for `did_you_mean(word, candidates)`, or an empty string.
[[nodiscard]] std::string suggestion_suffix(std::string_view word,
                                            const std::vector<std::string>& candidates);

// Return `parts` joined with `separator`.
[[nodiscard]] std::string join(const std::vector<std::string>& parts, std::string_view separator);

// Return the value of the hex digit `c` (either case), or -1 when it is not one.
[[nodiscard]] int hex_digit_value(char c);

// Split `text` at each `separator`; "a,,b" gives {"a", "", "b"}, "" gives {""}.
[[nodiscard]] std::vector<std::string> split(std::string_view text, char separator);

// Return whether `text` is valid UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF): what JSON records and reports can carry.
[[nodiscard]] bool is_utf8(std::string_view text);

// Return `text` printable in a message: bytes that are not valid UTF-8, and control
// characters, written as git does, `\ooo` in octal (`bad\377.txt`).
[[nodiscard]] std::string escape_bytes(std::string_view text);

// Return `text` with its ASCII letters in lowercase (other bytes unchanged, whatever the locale).
[[nodiscard]] std::string to_lower(std::string_view text);

// Return whether `text` holds an ASCII control character (below 0x20, or DEL), which would end
// an HTTP header line and start another.
[[nodiscard]] bool has_control_character(std::string_view text);

}  // namespace qa::util
