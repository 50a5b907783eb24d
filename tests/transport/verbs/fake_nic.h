// A NIC in memory for the verbs protocol's tests: every rank's queue pairs live in one
// FakeFabric (thread-safe, so ranks may be threads). It is strict where hardware is strict
// and stricter where hardware would hide a protocol bug: a send that finds no receive posted
// (which real RC retries after an RNR NAK) fails and is counted; keys are checked against
// live registrations of the right rank and range; inline data must fit max_inline. A fault
// can be injected: the queue pair fails and everything on it is flushed, as on hardware.
#pragma once

#include "transport/verbs/nic.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace lp::transport::verbs {

struct FakeFabricOptions {
  std::size_t max_inline = 64;
  std::size_t max_write = std::size_t{1} << 20;
};

struct FakeCounters {
  std::uint64_t sends = 0;
  std::uint64_t writes = 0;
  std::uint64_t writes_with_imm = 0;
  std::uint64_t overruns = 0;       // sends or immediates that found no receive posted
  std::uint64_t key_errors = 0;     // an lkey or rkey that does not cover the bytes
  std::uint64_t inline_errors = 0;  // inline data over max_inline
  std::uint64_t registrations = 0;  // ever made
  std::uint64_t live_registrations = 0;
};

class FakeFabric : public std::enable_shared_from_this<FakeFabric> {
 public:
  static std::shared_ptr<FakeFabric> make(int size, FakeFabricOptions options = {});

  // The NIC of `rank` (one per rank). connect() is a barrier on the bootstrap.
  std::unique_ptr<Nic> nic(int rank);

  // The next work request `from` posts to `to` fails with `status`; the queue pair then
  // flushes everything posted on it, receives included.
  void fail_next(int from, int to, const char* status, bool unreachable);
  // `bytes` arrive at `to` in its next receive posted for `from`, as if `from` sent them.
  void inject(int from, int to, const std::string& bytes);

  FakeCounters counters() const;
  const FakeFabricOptions& options() const { return options_; }

  // Used by the fake's NIC and registrations.
  std::uint32_t register_memory(int rank, void* addr, std::size_t len);
  void deregister(std::uint32_t key);
  void post_send(int from, int to, std::uint64_t wr_id, const void* data, std::uint32_t len,
                 std::uint32_t lkey, bool inline_data);
  void post_write(int from, int to, std::uint64_t wr_id, const void* data, std::uint32_t len,
                  std::uint32_t lkey, std::uint64_t remote, std::uint32_t rkey,
                  const std::uint32_t* imm);
  void post_recv(int rank, int peer, std::uint64_t wr_id, void* buf, std::uint32_t len,
                 std::uint32_t lkey);
  std::size_t poll(int rank, Completion* out, std::size_t max);

 private:
  FakeFabric(int size, FakeFabricOptions options);

  struct Mr {
    int rank;
    std::uintptr_t begin;
    std::uintptr_t end;
    bool live;
  };
  struct Recv {
    std::uint64_t wr_id;
    char* buf;
    std::uint32_t len;
  };
  struct Fault {
    const char* status;
    bool unreachable;
  };

  bool covers(std::uint32_t key, int rank, const void* addr, std::size_t len) const;
  // Fails the queue pair from -> to: this work request with `status`, the rest flushed.
  void break_qp(int from, int to, std::uint64_t wr_id, const char* status, bool unreachable);
  // Checks a send-side request; false when it failed (its completion is queued).
  bool admit(int from, int to, std::uint64_t wr_id);
  // The receive `to` posted for `from`, or null (counted as an overrun, the request failed).
  bool take_recv(int from, int to, std::uint64_t wr_id, std::uint32_t len, Recv& out);

  const int size_;
  const FakeFabricOptions options_;
  mutable std::mutex mu_;
  std::vector<Mr> mrs_;                              // key = index + 1
  std::vector<std::vector<std::deque<Recv>>> recvs_;  // [rank][peer]: posted for peer
  std::vector<std::vector<bool>> broken_;             // [rank][peer]: that queue pair failed
  std::map<std::pair<int, int>, Fault> faults_;
  std::vector<std::deque<Completion>> cqs_;           // [rank]
  FakeCounters counters_;
};

}  // namespace lp::transport::verbs
