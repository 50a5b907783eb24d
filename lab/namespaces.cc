#include "lab/namespaces.h"

#include "core/error.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

namespace lp::lab {
namespace {

int open_or_throw(const std::string& path, const std::string& what) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(fmt::format("{}: cannot open {}: {}", what, path, std::strerror(errno)));
  return fd;
}

void setns_or_throw(int fd, int type, const std::string& what) {
  const int rc = ::setns(fd, type);
  const int saved = errno;
  ::close(fd);
  if (rc != 0) throw Error(fmt::format("{}: cannot enter: {}", what, std::strerror(saved)));
}

// The inode of a namespace file (a /run/netns bind mount or a /proc/PID/ns link).
ino_t ns_inode(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

}  // namespace

std::string netns_path(const std::string& netns) { return "/run/netns/" + netns; }

NetnsScope::NetnsScope(const std::string& netns) {
  home_ = open_or_throw("/proc/thread-self/ns/net", "this thread's network namespace");
  try {
    setns_or_throw(open_or_throw(netns_path(netns), "network namespace " + netns), CLONE_NEWNET,
                   "network namespace " + netns);
  } catch (...) {
    ::close(home_);
    throw;
  }
}

NetnsScope::~NetnsScope() {
  if (::setns(home_, CLONE_NEWNET) != 0) {
    log_destructor_error("NetnsScope", fmt::format("cannot return to the network namespace: {}",
                                                   std::strerror(errno)));
  }
  ::close(home_);
}

void write_sysctl(const std::string& key, const std::string& value) {
  const std::string path = "/proc/sys/" + key;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw Error(fmt::format("sysctl {}: cannot open {}: {}", key, path, std::strerror(errno)));
  const ssize_t n = ::write(fd, value.data(), value.size());
  const int saved = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(value.size())) {
    throw Error(fmt::format("sysctl {}={}: {}", key, value, std::strerror(saved)));
  }
}

void create_uts(const std::string& file, const std::string& hostname) {
  const int made = ::open(file.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
  if (made < 0) throw Error(fmt::format("{}: cannot create: {}", file, std::strerror(errno)));
  ::close(made);
  const int home = open_or_throw("/proc/self/ns/uts", "this process's UTS namespace");
  std::string failure;
  if (::unshare(CLONE_NEWUTS) != 0) {
    failure = fmt::format("unshare: {}", std::strerror(errno));
  } else {
    if (::sethostname(hostname.data(), hostname.size()) != 0) {
      failure = fmt::format("sethostname {}: {}", hostname, std::strerror(errno));
    } else if (::mount("/proc/thread-self/ns/uts", file.c_str(), nullptr, MS_BIND, nullptr) != 0) {
      failure = fmt::format("bind mount: {}", std::strerror(errno));
    }
    if (::setns(home, CLONE_NEWUTS) != 0) {
      throw Error(fmt::format("{}: cannot return to this process's UTS namespace: {}", file,
                              std::strerror(errno)));
    }
  }
  ::close(home);
  if (!failure.empty()) {
    ::unlink(file.c_str());
    throw Error(fmt::format("{}: cannot make a UTS namespace for host {}: {}", file, hostname, failure));
  }
}

void enter_uts(const std::string& file) {
  setns_or_throw(open_or_throw(file, "UTS namespace"), CLONE_NEWUTS, "UTS namespace " + file);
}

void remove_uts(const std::string& file) {
  if (::umount2(file.c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT) {
    throw Error(fmt::format("{}: cannot unmount: {}", file, std::strerror(errno)));
  }
  if (::unlink(file.c_str()) != 0 && errno != ENOENT) {
    throw Error(fmt::format("{}: cannot remove: {}", file, std::strerror(errno)));
  }
}

std::vector<pid_t> pids_in(const std::vector<std::string>& netns) {
  std::set<ino_t> wanted;
  for (const std::string& n : netns) {
    if (const ino_t ino = ns_inode(netns_path(n))) wanted.insert(ino);
  }
  std::vector<pid_t> pids;
  const pid_t me = ::getpid();
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto pid = static_cast<pid_t>(std::stol(name));
    if (pid != me && wanted.count(ns_inode(entry.path() / "ns" / "net"))) pids.push_back(pid);
  }
  return pids;
}

std::string missing_privileges() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (::syscall(SYS_capget, &header, data) != 0) {
    return fmt::format("cannot read this process's capabilities: {}", std::strerror(errno));
  }
  std::string missing;
  for (const auto& [cap, name] : {std::pair{CAP_NET_ADMIN, "CAP_NET_ADMIN"}, std::pair{CAP_SYS_ADMIN, "CAP_SYS_ADMIN"}}) {
    if (!(data[cap / 32].effective & (1u << (cap % 32)))) missing += std::string(missing.empty() ? "" : " and ") + name;
  }
  return missing.empty() ? "" : fmt::format("the lab needs {} (run it as root)", missing);
}

std::vector<std::string> list_netns() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/run/netns", ec)) {
    names.push_back(entry.path().filename());
  }
  return names;
}

}  // namespace lp::lab
