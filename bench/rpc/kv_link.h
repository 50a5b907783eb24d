// How KV caches move between servers (--kv SIZE). Where the transport has one-sided put
// (Capability::kPut), each server registers a region the previous server puts into, and a
// small message announces each cache once the put is visible; elsewhere the cache travels as
// a message. The contents are not used, only moved.
#pragma once

#include "bench/rpc/config.h"
#include "transport/transport.h"

#include <memory>
#include <vector>

namespace lp::bench::rpc {

struct KvLink {
  bool by_put = false;
  std::vector<char> source_bytes;  // what a server's puts read
  std::vector<char> target_bytes;  // what the previous server puts into
  std::unique_ptr<transport::MemoryRegion> source;
  std::unique_ptr<transport::MemoryRegion> target;
  std::vector<std::unique_ptr<transport::RemoteRegion>> remote;  // every rank's target, by rank
};

// Collective over all ranks (they exchange region keys) when the cache moves by put; returns
// nullptr when the run moves no KV cache.
std::unique_ptr<KvLink> make_kv_link(transport::Transport& t, const RpcConfig& config,
                                     const Roles& roles);

}  // namespace lp::bench::rpc
