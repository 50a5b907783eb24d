#include "lab/runner.h"

#include "core/error.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <regex>
#include <utility>

extern char** environ;

namespace lp::lab {
namespace {

// Owns a file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read, write;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw Error(fmt::format("pipe: {}", std::strerror(errno)));
    read = Fd(fds[0]);
    write = Fd(fds[1]);
  }
};

std::string shell_words(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) {
    const bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$`*?;&|<>()") == std::string::npos;
    out += (out.empty() ? "" : " ") + (plain ? a : "'" + a + "'");
  }
  return out;
}

struct Finished {
  int status;
  std::string out;
  std::string err;
};

// Spawns argv, writes `input` to it and reads its stdout and stderr until both close.
Finished spawn_and_wait(const std::vector<std::string>& argv, std::string_view input) {
  Pipe in, out, err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read.get(), 0);
  posix_spawn_file_actions_adddup2(&actions, out.write.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err.write.get(), 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw Error(fmt::format("`{}`: cannot start {}: {}", shell_words(argv), argv[0], std::strerror(rc)));
  }
  in.read.reset();
  out.write.reset();
  err.write.reset();
  if (input.empty()) in.write.reset();
  ::fcntl(in.write.get(), F_SETFL, O_NONBLOCK);
  Finished done{0, {}, {}};
  std::size_t written = 0;
  while (out.read.get() >= 0 || err.read.get() >= 0) {
    std::array<pollfd, 3> fds{{{out.read.get(), POLLIN, 0}, {err.read.get(), POLLIN, 0},
                               {in.write.get(), POLLOUT, 0}}};
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      throw Error(fmt::format("poll: {}", std::strerror(errno)));
    }
    if (fds[2].revents != 0) {
      const ssize_t n = ::write(in.write.get(), input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 && errno != EAGAIN && errno != EINTR) written = input.size();  // it stopped reading
      if (written == input.size()) in.write.reset();
    }
    const std::pair<Fd*, std::string*> readers[2] = {{&out.read, &done.out}, {&err.read, &done.err}};
    for (std::size_t i = 0; i < 2; ++i) {
      if (fds[i].revents == 0) continue;
      char buf[65536];
      const ssize_t n = ::read(readers[i].first->get(), buf, sizeof buf);
      if (n > 0) {
        readers[i].second->append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        readers[i].first->reset();
      }
    }
  }
  in.write.reset();
  while (::waitpid(pid, &done.status, 0) < 0) {
    if (errno != EINTR) throw Error(fmt::format("waitpid: {}", std::strerror(errno)));
  }
  return done;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Line `n` (from 1) of `text`, or "" past its end.
std::string line_of(std::string_view text, std::size_t n) {
  std::size_t start = 0;
  for (std::size_t i = 1; i < n; ++i) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return "";
    ++start;
  }
  return std::string(text.substr(start, text.find('\n', start) - start));
}

// Runs argv and returns its stdout, or throws Error with the command, the failing batch line
// (ip and tc report it as "Command failed -:N") and stderr.
std::string checked(const std::vector<std::string>& argv, std::string_view input) {
  const Finished f = spawn_and_wait(argv, input);
  if (WIFEXITED(f.status) && WEXITSTATUS(f.status) == 0) return f.out;
  const std::string why = WIFEXITED(f.status) ? fmt::format("exit status {}", WEXITSTATUS(f.status))
                                              : fmt::format("killed by signal {}", WTERMSIG(f.status));
  std::string what = fmt::format("`{}` failed ({})", shell_words(argv), why);
  const std::string err = trim(f.err);
  static const std::regex kFailedLine(R"(Command failed -:(\d+))");
  std::smatch m;
  if (!input.empty() && std::regex_search(err, m, kFailedLine)) {
    const std::size_t n = std::stoul(m[1].str());
    what += fmt::format(" at batch line {}: {}", n, line_of(input, n));
  }
  throw Error(what + (err.empty() ? "" : ":\n" + err));
}

}  // namespace

std::string Runner::run(const std::vector<std::string>& argv, std::string_view input) const {
  if (verbose_) std::fprintf(stderr, "+ %s\n", shell_words(argv).c_str());
  return checked(argv, input);
}

void Runner::batch(const char* tool, const std::string& netns, const std::vector<std::string>& lines) const {
  if (lines.empty()) return;
  std::vector<std::string> argv{tool};
  if (!netns.empty()) argv.insert(argv.end(), {"-n", netns});
  argv.insert(argv.end(), {"-batch", "-"});
  std::string input;
  for (const std::string& l : lines) input += l + "\n";
  if (verbose_) {
    std::string shown;
    for (const std::string& l : lines) shown += "    " + l + "\n";
    std::fprintf(stderr, "+ %s <<EOF\n%sEOF\n", shell_words(argv).c_str(), shown.c_str());
  }
  checked(argv, input);
}

void Runner::ip_batch(const std::string& netns, const std::vector<std::string>& lines) const {
  batch("ip", netns, lines);
}

void Runner::tc_batch(const std::string& netns, const std::vector<std::string>& lines) const {
  batch("tc", netns, lines);
}

}  // namespace lp::lab
