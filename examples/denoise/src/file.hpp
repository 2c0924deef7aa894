#pragma once

#include <string>
#include <string_view>

namespace example {

// Return the text of the OS error `errnum` (an errno value), starting lowercase:
// "no such file or directory".
[[nodiscard]] std::string describe_errno(int errnum);

// Replace the content of the file at `path` with `data`. Throw std::runtime_error reading
// `cannot write "PATH": CAUSE` on failure; a partly written file is removed.
void write_file(const std::string& path, std::string_view data);

}  // namespace example
