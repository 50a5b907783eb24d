// What the verbs protocol (engine.h) asks of the NIC, and nothing more: register memory,
// post sends, RDMA writes and receives on the RC queue pair to a peer, poll completions.
// ib_nic.cc implements it over libibverbs; the unit tests implement it in memory, so the
// protocol is tested on machines without an RDMA device.
//
// Work request ids are the engine's: it encodes what each one was for, so a completion
// (a failed one included) needs nothing but its id to be understood.
#pragma once

#include "transport/bootstrap.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

namespace lp::transport::verbs {

// Memory the NIC may read and that peers may write (local and remote write access).
// Deregistered when destroyed.
class Registration {
 public:
  virtual ~Registration() = default;
  virtual std::uint32_t lkey() const = 0;
  virtual std::uint32_t rkey() const = 0;
};

struct Completion {
  std::uint64_t wr_id = 0;
  // Null on success, else what failed (ibv_wc_status_str).
  const char* error = nullptr;
  // The failure means the peer stopped answering (transport or RNR retries exhausted).
  bool peer_unreachable = false;
  // Flushed because the queue pair had already failed (an earlier error is the cause).
  bool flushed = false;
  std::uint32_t byte_len = 0;  // a receive: the bytes that arrived
  bool has_imm = false;        // a receive consumed by an RDMA write with immediate
  std::uint32_t imm = 0;
};

class Nic {
 public:
  virtual ~Nic() = default;

  // Connects the queue pair to every peer (an allgather of addresses, then a barrier so
  // nobody sends to a queue pair that is not ready). Receives are posted before this.
  virtual void connect(Bootstrap& boot) = 0;

  // The most bytes a send may carry inline (copied into the work request at post time).
  virtual std::size_t max_inline() const = 0;
  // The most bytes one RDMA write may carry (the port's largest message).
  virtual std::size_t max_write() const = 0;

  // Throws Error when the NIC refuses (e.g. over the locked-memory limit).
  virtual std::unique_ptr<Registration> register_memory(void* addr, std::size_t len) = 0;

  // Every posted request completes once (signaled). Posting throws Error naming the peer.
  // inline_data: the bytes are copied now (len <= max_inline()); lkey is then unused.
  virtual void post_send(int peer, std::uint64_t wr_id, const void* data, std::uint32_t len,
                         std::uint32_t lkey, bool inline_data) = 0;
  // An RDMA write of `len` bytes (<= max_write()) to the peer's `remote` address; with `imm`
  // it also consumes one of the peer's receives, which completes with the immediate.
  virtual void post_write(int peer, std::uint64_t wr_id, const void* data, std::uint32_t len,
                          std::uint32_t lkey, std::uint64_t remote, std::uint32_t rkey,
                          std::optional<std::uint32_t> imm) = 0;
  virtual void post_recv(int peer, std::uint64_t wr_id, void* buf, std::uint32_t len,
                         std::uint32_t lkey) = 0;

  // Fills `out` with completions of sends, writes and receives; returns how many.
  virtual std::size_t poll(std::span<Completion> out) = 0;

  // What was chosen (device, port, link layer, GID index, MTU, max inline, ...).
  virtual nlohmann::json details() const = 0;
};

}  // namespace lp::transport::verbs
