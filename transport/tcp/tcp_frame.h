// The TCP backend's wire format: every message is a 16-byte header, then its payload.
// The header is validated before anything is read or allocated for the payload: a frame whose
// magic is wrong or whose length is over the receiver's limit ends the connection with an
// error naming the peer, instead of being trusted.
#pragma once

#include "transport/transport.h"

#include <cstddef>
#include <cstdint>

namespace lp::transport::tcp {

inline constexpr std::uint32_t kFrameMagic = 0x3146504cu;  // "LPF1" on the wire
inline constexpr std::size_t kFrameHeaderSize = 16;

struct FrameHeader {
  Tag tag = 0;
  std::uint64_t length = 0;
};

// Writes the header's wire form (magic, tag, length; host byte order: all ranks of a run
// share one architecture) into `out`.
void encode_frame(const FrameHeader& h, char (&out)[kFrameHeaderSize]);

// Reads a header received from rank `peer` at rank `self`. Throws Error naming both ranks
// for a wrong magic or a length over `max_length`.
FrameHeader decode_frame(const char* in, std::size_t max_length, int self, int peer);

}  // namespace lp::transport::tcp
