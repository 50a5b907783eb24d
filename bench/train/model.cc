#include "bench/train/model.h"

#include "core/atomic_file.h"
#include "core/error.h"
#include "topo/problems.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <set>

namespace lp::bench::train {
namespace {

using topo::Problems;
using topo::json_path;

bool product(const std::vector<std::size_t>& shape, std::size_t& out) {
  std::size_t p = 1;
  for (std::size_t d : shape) {
    if (__builtin_mul_overflow(p, d, &p)) return false;
  }
  out = p;
  return true;
}

}  // namespace

std::size_t Model::parameters() const {
  std::size_t n = 0;
  for (const Tensor& t : tensors) n += t.elements;
  return n;
}

std::size_t Model::bytes() const {
  std::size_t n = 0;
  for (const Tensor& t : tensors) n += t.bytes();
  return n;
}

Tensor make_tensor(std::string name, std::vector<std::size_t> shape, Dtype dtype) {
  Tensor t{std::move(name), std::move(shape), dtype, 0};
  if (!product(t.shape, t.elements)) throw InputError(fmt::format("tensor {}: too many elements", t.name));
  return t;
}

Model parse_model(const std::string& text, const std::string& source) {
  const nlohmann::json doc = topo::parse_json(text, source);
  Problems p(source);
  if (!topo::check_format(doc, kModelFormat, p)) p.throw_if_any();
  Model m;
  if (auto name = topo::get_string(doc, "name", "", p)) m.name = *name;
  const nlohmann::json* tensors = topo::get_array(doc, "tensors", "", p);
  if (tensors != nullptr && tensors->empty()) p.add("tensors", "lists no tensors");
  std::set<std::string> names;
  std::size_t total_bytes = 0;
  bool total_ok = true;
  for (std::size_t i = 0; tensors != nullptr && i < tensors->size(); ++i) {
    const nlohmann::json& item = (*tensors)[i];
    const std::string path = json_path("tensors", i);
    if (!item.is_object()) {
      p.add(path, fmt::format("expected an object, got {}", topo::json_type_name(item)));
      continue;
    }
    const std::size_t before = p.count();
    Tensor t;
    if (auto name = topo::get_string(item, "name", path, p)) {
      t.name = *name;
      if (!names.insert(t.name).second) p.add(json_path(path, "name"), fmt::format("'{}' appears twice", t.name));
    }
    if (const nlohmann::json* shape = topo::get_array(item, "shape", path, p)) {
      for (std::size_t k = 0; k < shape->size(); ++k) {
        if (auto d = topo::as_int((*shape)[k], json_path(json_path(path, "shape"), k), 1,
                                  std::numeric_limits<std::int64_t>::max(), p)) {
          t.shape.push_back(static_cast<std::size_t>(*d));
        }
      }
      if (shape->empty()) p.add(json_path(path, "shape"), "has no dimensions");
    }
    if (auto dtype = topo::get_string(item, "dtype", path, p)) {
      try {
        t.dtype = allreduce::parse_dtype(*dtype, json_path(path, "dtype"));
      } catch (const InputError&) {
        p.add(json_path(path, "dtype"), fmt::format("unknown data type '{}' (f32, f64, f16, bf16, "
                                                    "i32 or i64)",
                                                    *dtype));
      }
    }
    if (p.count() != before) continue;
    std::size_t bytes = 0;
    if (!product(t.shape, t.elements) ||
        __builtin_mul_overflow(t.elements, allreduce::element_size(t.dtype), &bytes)) {
      p.add(json_path(path, "shape"), "has too many elements");
      continue;
    }
    if (total_ok && __builtin_add_overflow(total_bytes, t.bytes(), &total_bytes)) {
      p.add("tensors", "add up to more bytes than a size_t holds");
      total_ok = false;
    }
    m.tensors.push_back(std::move(t));
  }
  p.throw_if_any();
  return m;
}

Model load_model(const std::string& name_or_file) {
  const std::vector<std::string> names = builtin_models();
  if (std::find(names.begin(), names.end(), name_or_file) != names.end()) return builtin_model(name_or_file);
  if (!std::filesystem::exists(name_or_file)) {
    std::string choices;
    for (const std::string& n : names) choices += (choices.empty() ? "" : ", ") + n;
    throw input_error("--model", fmt::format("'{}' is neither a built-in model ({}) nor a file",
                                             name_or_file, choices));
  }
  return parse_model(read_file(name_or_file), name_or_file);
}

}  // namespace lp::bench::train
