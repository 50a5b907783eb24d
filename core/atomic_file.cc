#include "core/atomic_file.h"

#include "core/error.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace lp {
namespace {

// Owns a temporary file until it is renamed into place; removes it otherwise.
class TempFile {
 public:
  explicit TempFile(const std::string& target) : path_(target + ".tmpXXXXXX") {
    fd_ = ::mkstemp(path_.data());
    if (fd_ < 0) {
      throw Error(fmt::format("{}: cannot create a temporary file beside it: {}", target,
                              std::strerror(errno)));
    }
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }

  void write_all(std::string_view data, const std::string& target) {
    while (!data.empty()) {
      const ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw Error(fmt::format("{}: write failed: {}", target, std::strerror(errno)));
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  void commit(const std::string& target) {
    if (::fsync(fd_) != 0) {
      throw Error(fmt::format("{}: fsync failed: {}", target, std::strerror(errno)));
    }
    ::fchmod(fd_, 0644);
    ::close(fd_);
    fd_ = -1;
    if (::rename(path_.c_str(), target.c_str()) != 0) {
      throw Error(fmt::format("{}: cannot replace: {}", target, std::strerror(errno)));
    }
    committed_ = true;
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace

void write_file_atomic(const std::string& path, std::string_view content) {
  TempFile tmp(path);
  tmp.write_all(content, path);
  tmp.commit(path);
}

void append_lines_atomic(const std::string& path, std::string_view lines) {
  std::string existing;
  if (::access(path.c_str(), F_OK) == 0) {
    existing = read_file(path);
    if (!existing.empty() && existing.back() != '\n') existing.push_back('\n');
  }
  TempFile tmp(path);
  tmp.write_all(existing, path);
  tmp.write_all(lines, path);
  tmp.commit(path);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error(path, fmt::format("cannot open: {}", std::strerror(errno)));
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) throw input_error(path, "read failed");
  return out.str();
}

}  // namespace lp
