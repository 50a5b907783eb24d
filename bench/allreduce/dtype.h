// Element types and reduction operations, as the user names them (--dtype, --op), made into
// types once, outside any timed loop.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lp::bench::allreduce {

enum class Dtype { kF32, kF64, kF16, kBf16, kI32, kI64 };
enum class Op { kSum, kMax, kMin, kBand, kBor, kBxor };

inline constexpr Dtype kAllDtypes[] = {Dtype::kF32, Dtype::kF64, Dtype::kF16,
                                       Dtype::kBf16, Dtype::kI32, Dtype::kI64};
inline constexpr Op kAllOps[] = {Op::kSum, Op::kMax, Op::kMin, Op::kBand, Op::kBor, Op::kBxor};

std::string_view name(Dtype d);
std::string_view name(Op op);
std::size_t element_size(Dtype d);
bool is_float(Dtype d);

// Whether `op` is defined on `d`: the bitwise operations are for integers only.
bool supports(Dtype d, Op op);

// Parse one name; an unknown one is an InputError naming `flag` and listing the choices.
Dtype parse_dtype(std::string_view text, std::string_view flag = "--dtype");
Op parse_op(std::string_view text, std::string_view flag = "--op");

// "f32,bf16" or "all".
std::vector<Dtype> parse_dtypes(std::string_view text, std::string_view flag = "--dtype");
std::vector<Op> parse_ops(std::string_view text, std::string_view flag = "--op");

// Throws InputError "FLAGS: op band is not defined on f32 (bitwise operations take i32 or
// i64)" when `op` does not apply to `d`.
void require_supported(Dtype d, Op op, std::string_view flags = "--dtype/--op");

// Comma-separated list, trimmed; empty items are an InputError naming `flag`.
std::vector<std::string> split_list(std::string_view text, std::string_view flag);

}  // namespace lp::bench::allreduce
