#include "bench/rpc/wire.h"

#include "core/error.h"

#include <cstring>

namespace lp::bench::rpc {
namespace {

constexpr std::uint32_t magic(const char (&s)[5]) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[0])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[3])) << 24;
}
constexpr std::uint32_t kRequestMagic = magic("LPRQ");
constexpr std::uint32_t kDoneMagic = magic("LPRD");
constexpr std::uint32_t kResponseMagic = magic("LPRS");
constexpr std::uint32_t kEndMagic = magic("LPRE");
constexpr std::uint32_t kKvMagic = magic("LPKV");
constexpr std::uint32_t kKvEndMagic = magic("LPKE");

void put32(char* out, std::size_t at, std::uint32_t v) { std::memcpy(out + at, &v, 4); }
void put64(char* out, std::size_t at, std::uint64_t v) { std::memcpy(out + at, &v, 8); }
std::uint32_t get32(const char* in, std::size_t at) {
  std::uint32_t v;
  std::memcpy(&v, in + at, 4);
  return v;
}
std::uint64_t get64(const char* in, std::size_t at) {
  std::uint64_t v;
  std::memcpy(&v, in + at, 8);
  return v;
}

void check_size(const char* what, std::size_t len, std::size_t header) {
  if (len < header) {
    throw Error(
        fmt::format("a {}-byte {} message, shorter than its {}-byte header", len, what, header));
  }
}

void check_length(const char* what, std::uint64_t announced, std::size_t len) {
  if (announced != len) {
    throw Error(
        fmt::format("a {} whose header announces {} bytes arrived with {}", what, announced, len));
  }
}

void check_stream(const char* what, std::uint32_t tokens, std::uint32_t response,
                  const WireLimits& limits) {
  if (tokens == 0 || tokens > limits.max_tokens) {
    throw Error(
        fmt::format("a {} asks for {} tokens (1 to {} allowed)", what, tokens, limits.max_tokens));
  }
  if (response < kResponseHeaderSize || response > limits.max_response) {
    throw Error(fmt::format("a {} asks for {}-byte responses ({} to {} allowed)", what, response,
                            kResponseHeaderSize, limits.max_response));
  }
}

}  // namespace

void encode_request(const RequestHeader& h, char* out) {
  put32(out, 0, h.done ? kDoneMagic : kRequestMagic);
  put32(out, 4, h.slot);
  put32(out, 8, h.generation);
  put32(out, 12, h.tokens);
  put32(out, 16, h.response);
  put32(out, 20, h.measured ? 1 : 0);
  put64(out, 24, h.length);
}

void encode_response(const ResponseHeader& h, char* out) {
  put32(out, 0, h.end ? kEndMagic : kResponseMagic);
  put32(out, 4, h.slot);
  put32(out, 8, h.generation);
  put32(out, 12, h.token);
}

void encode_kv(const KvHeader& h, char* out) {
  put32(out, 0, h.end ? kKvEndMagic : kKvMagic);
  put32(out, 4, h.client);
  put32(out, 8, h.slot);
  put32(out, 12, h.generation);
  put32(out, 16, h.tokens);
  put32(out, 20, h.response);
  put64(out, 24, h.length);
}

RequestHeader decode_request(const char* data, std::size_t len, const WireLimits& limits) {
  check_size("request", len, kRequestHeaderSize);
  RequestHeader h;
  const std::uint32_t m = get32(data, 0);
  if (m != kRequestMagic && m != kDoneMagic) {
    throw Error(fmt::format("a request with a wrong magic ({:#010x})", m));
  }
  h.done = m == kDoneMagic;
  h.slot = get32(data, 4);
  h.generation = get32(data, 8);
  h.tokens = get32(data, 12);
  h.response = get32(data, 16);
  const std::uint32_t flags = get32(data, 20);
  h.measured = (flags & 1u) != 0;
  h.length = get64(data, 24);
  check_length("request", h.length, len);
  if ((flags & ~1u) != 0) throw Error(fmt::format("a request with unknown flags ({:#x})", flags));
  if (h.done) {
    if (h.slot != 0 || h.generation != 0 || h.tokens != 0 || h.response != 0 || h.measured ||
        len != kRequestHeaderSize) {
      throw Error("a malformed end-of-run message");
    }
    return h;
  }
  if (len > limits.max_request) {
    throw Error(fmt::format("a {}-byte request, over this run's largest ({} bytes)", len,
                            limits.max_request));
  }
  check_stream("request", h.tokens, h.response, limits);
  return h;
}

ResponseHeader decode_response(const char* data, std::size_t len) {
  check_size("response", len, kResponseHeaderSize);
  ResponseHeader h;
  const std::uint32_t m = get32(data, 0);
  if (m != kResponseMagic && m != kEndMagic) {
    throw Error(fmt::format("a response with a wrong magic ({:#010x})", m));
  }
  h.end = m == kEndMagic;
  h.slot = get32(data, 4);
  h.generation = get32(data, 8);
  h.token = get32(data, 12);
  if (h.end && (h.slot != 0 || h.generation != 0 || h.token != 0 || len != kResponseHeaderSize)) {
    throw Error("a malformed end-of-responses message");
  }
  return h;
}

KvHeader decode_kv(const char* data, std::size_t len, const WireLimits& limits) {
  check_size("kv", len, kKvHeaderSize);
  KvHeader h;
  const std::uint32_t m = get32(data, 0);
  if (m != kKvMagic && m != kKvEndMagic) {
    throw Error(fmt::format("a kv message with a wrong magic ({:#010x})", m));
  }
  h.end = m == kKvEndMagic;
  h.client = get32(data, 4);
  h.slot = get32(data, 8);
  h.generation = get32(data, 12);
  h.tokens = get32(data, 16);
  h.response = get32(data, 20);
  h.length = get64(data, 24);
  check_length("kv message", h.length, len);
  if (h.end) {
    if (h.client != 0 || h.slot != 0 || h.generation != 0 || h.tokens != 0 || h.response != 0 ||
        len != kKvHeaderSize) {
      throw Error("a malformed end-of-kv message");
    }
    return h;
  }
  if (len != kKvHeaderSize + limits.kv_payload) {
    throw Error(
        fmt::format("a {}-byte kv message (expected {})", len, kKvHeaderSize + limits.kv_payload));
  }
  if (h.client >= static_cast<std::uint32_t>(limits.ranks)) {
    throw Error(fmt::format("a kv message for rank {}, not a rank of this run", h.client));
  }
  check_stream("kv message", h.tokens, h.response, limits);
  return h;
}

}  // namespace lp::bench::rpc
