// Output files are never half-written: content goes to a temporary file beside the target,
// is flushed to disk, then renamed over it. A failed run leaves an existing file untouched.
#pragma once

#include <string>
#include <string_view>

namespace lp {

// Replaces `path` with `content`. Throws Error naming the path on any failure.
void write_file_atomic(const std::string& path, std::string_view content);

// Appends `lines` (each ending in '\n') to `path` as whole lines: the old content and the
// new lines are written to a temporary file which replaces `path` only when complete.
void append_lines_atomic(const std::string& path, std::string_view lines);

// Reads a whole file. Throws InputError naming the path when it cannot be read.
std::string read_file(const std::string& path);

}  // namespace lp
