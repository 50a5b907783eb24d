// Entering the lab's namespaces from lightpath itself, where a process per step would cost
// more than the step: network namespaces (per thread, by their /run/netns file, as `ip netns`
// names them), persistent UTS namespaces that give each lab host its own hostname (a file
// bind-mounted over the namespace, as `unshare --uts=FILE` makes them), sysctls, and the
// processes still inside a namespace.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace lp::lab {

// "/run/netns/NAME": where `ip netns add NAME` binds the namespace.
std::string netns_path(const std::string& netns);

// The calling thread runs in `netns` from construction until destruction, then returns to the
// namespace it came from. Throws Error naming the namespace when it cannot enter.
class NetnsScope {
 public:
  explicit NetnsScope(const std::string& netns);
  NetnsScope(const NetnsScope&) = delete;
  NetnsScope& operator=(const NetnsScope&) = delete;
  ~NetnsScope();

 private:
  int home_ = -1;
};

// Writes `value` to /proc/sys/KEY ("net/ipv4/ip_forward") of the current network namespace.
void write_sysctl(const std::string& key, const std::string& value);

// Makes a UTS namespace whose hostname is `hostname` and binds it to `file` (created); this
// process stays in its own. Throws Error naming the file on failure.
void create_uts(const std::string& file, const std::string& hostname);
// Moves this process into the UTS namespace bound to `file`.
void enter_uts(const std::string& file);
// Unbinds and removes `file`; nothing happens when it does not exist.
void remove_uts(const std::string& file);

// Processes whose network namespace is one of `netns` (by /run/netns file), not this one.
std::vector<pid_t> pids_in(const std::vector<std::string>& netns);

// Why this process cannot build a lab ("" when it can): it needs CAP_NET_ADMIN for links and
// CAP_SYS_ADMIN for namespaces and their bind mounts, i.e. root.
std::string missing_privileges();

// Names in /run/netns, i.e. `ip netns list`.
std::vector<std::string> list_netns();

}  // namespace lp::lab
