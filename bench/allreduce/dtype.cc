#include "bench/allreduce/dtype.h"

#include "core/error.h"

#include <fmt/format.h>

namespace lp::bench::allreduce {
namespace {

std::string choices_of_dtypes() {
  std::string out;
  for (Dtype d : kAllDtypes) out += (out.empty() ? "" : ", ") + std::string(name(d));
  return out;
}

std::string choices_of_ops() {
  std::string out;
  for (Op o : kAllOps) out += (out.empty() ? "" : ", ") + std::string(name(o));
  return out;
}

}  // namespace

std::string_view name(Dtype d) {
  switch (d) {
    case Dtype::kF32: return "f32";
    case Dtype::kF64: return "f64";
    case Dtype::kF16: return "f16";
    case Dtype::kBf16: return "bf16";
    case Dtype::kI32: return "i32";
    case Dtype::kI64: return "i64";
  }
  return "?";
}

std::string_view name(Op op) {
  switch (op) {
    case Op::kSum: return "sum";
    case Op::kMax: return "max";
    case Op::kMin: return "min";
    case Op::kBand: return "band";
    case Op::kBor: return "bor";
    case Op::kBxor: return "bxor";
  }
  return "?";
}

std::size_t element_size(Dtype d) {
  switch (d) {
    case Dtype::kF16:
    case Dtype::kBf16: return 2;
    case Dtype::kF32:
    case Dtype::kI32: return 4;
    case Dtype::kF64:
    case Dtype::kI64: return 8;
  }
  return 1;
}

bool is_float(Dtype d) { return d != Dtype::kI32 && d != Dtype::kI64; }

bool supports(Dtype d, Op op) {
  const bool bitwise = op == Op::kBand || op == Op::kBor || op == Op::kBxor;
  return !bitwise || !is_float(d);
}

Dtype parse_dtype(std::string_view text, std::string_view flag) {
  for (Dtype d : kAllDtypes) {
    if (text == name(d)) return d;
  }
  throw input_error(flag, fmt::format("unknown data type '{}' (choose from {})", text,
                                      choices_of_dtypes()));
}

Op parse_op(std::string_view text, std::string_view flag) {
  for (Op o : kAllOps) {
    if (text == name(o)) return o;
  }
  throw input_error(flag, fmt::format("unknown operation '{}' (choose from {})", text,
                                      choices_of_ops()));
}

std::vector<std::string> split_list(std::string_view text, std::string_view flag) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t comma = text.find(',', pos);
    std::string_view item = text.substr(pos, comma == std::string_view::npos ? text.npos : comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) throw input_error(flag, fmt::format("'{}' has an empty item", text));
    out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return out;
}

std::vector<Dtype> parse_dtypes(std::string_view text, std::string_view flag) {
  if (text == "all") return {std::begin(kAllDtypes), std::end(kAllDtypes)};
  std::vector<Dtype> out;
  for (const std::string& item : split_list(text, flag)) out.push_back(parse_dtype(item, flag));
  return out;
}

std::vector<Op> parse_ops(std::string_view text, std::string_view flag) {
  if (text == "all") return {std::begin(kAllOps), std::end(kAllOps)};
  std::vector<Op> out;
  for (const std::string& item : split_list(text, flag)) out.push_back(parse_op(item, flag));
  return out;
}

void require_supported(Dtype d, Op op, std::string_view flags) {
  if (supports(d, op)) return;
  throw input_error(flags, fmt::format("operation {} is not defined on {} (bitwise operations "
                                       "take i32 or i64)",
                                       name(op), name(d)));
}

}  // namespace lp::bench::allreduce
