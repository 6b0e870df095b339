#include "engine/shard.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <vector>

#include "engine/error.hpp"
#include "engine/plan.hpp"

namespace ftg {
namespace {

// A non-negative decimal integer, the whole text (surrounding blanks allowed: env values).
std::uint64_t parse_count(std::string_view what, std::string_view text, std::string_view command) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n')) text.remove_suffix(1);
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
    throw usage_error(command, std::string(what) + " must be a non-negative integer (got '" + std::string(text) + "')");
  return v;
}

}  // namespace

std::optional<shard_id> resolve_shard(const std::optional<std::string>& index_option,
                                      const std::optional<std::string>& count_option, bool use_env,
                                      const env_lookup& env, std::string_view command) {
  const auto get = [&](const char* name) -> const char* { return use_env && env ? env(name) : nullptr; };
  const char* task_id = get("SLURM_ARRAY_TASK_ID");
  const char* task_count = get("SLURM_ARRAY_TASK_COUNT");
  std::optional<std::uint64_t> index, count;
  std::string index_src = "--shard-index", count_src = "--num-shards";
  if (index_option) {
    index = parse_count("--shard-index", *index_option, command);
  } else if (task_id != nullptr) {
    const std::uint64_t id = parse_count("SLURM_ARRAY_TASK_ID", task_id, command);
    const char* min_text = get("SLURM_ARRAY_TASK_MIN");
    const char* step_text = get("SLURM_ARRAY_TASK_STEP");
    const std::uint64_t min = min_text ? parse_count("SLURM_ARRAY_TASK_MIN", min_text, command) : 0;
    const std::uint64_t step = step_text ? parse_count("SLURM_ARRAY_TASK_STEP", step_text, command) : 1;
    if (id < min)
      throw usage_error(command, "SLURM_ARRAY_TASK_ID " + std::to_string(id) + " is below SLURM_ARRAY_TASK_MIN " +
                                     std::to_string(min));
    if (step == 0) throw usage_error(command, "SLURM_ARRAY_TASK_STEP must be >= 1 (got 0)");
    if ((id - min) % step != 0)
      throw usage_error(command, "SLURM_ARRAY_TASK_ID " + std::to_string(id) + " is not MIN + k * STEP (" +
                                     std::to_string(min) + " + k * " + std::to_string(step) +
                                     "); pass --shard-index and --num-shards");
    index = (id - min) / step;
    index_src = "SLURM_ARRAY_TASK_ID";
  }
  if (count_option) {
    count = parse_count("--num-shards", *count_option, command);
  } else if (task_count != nullptr && (index_option || task_id != nullptr)) {
    count = parse_count("SLURM_ARRAY_TASK_COUNT", task_count, command);
    count_src = "SLURM_ARRAY_TASK_COUNT";
  }
  if (!index && !count) return std::nullopt;
  if (!count) throw usage_error(command, index_src + " needs --num-shards (or SLURM_ARRAY_TASK_COUNT)");
  if (!index) throw usage_error(command, "--num-shards needs --shard-index (or SLURM_ARRAY_TASK_ID)");
  if (*count == 0) throw usage_error(command, count_src + " must be >= 1 (got 0)");
  if (*index >= *count)
    throw usage_error(command, index_src + " gives shard index " + std::to_string(*index) + ", which must be < " +
                                   count_src + " " + std::to_string(*count) +
                                   (index_src == "SLURM_ARRAY_TASK_ID"
                                        ? " (use a contiguous --array=0-N, or pass --shard-index)"
                                        : ""));
  return shard_id{*index, *count};
}

std::string shard_output_name(const std::string& output, shard_id id) {
  std::string stem = output;
  if (stem.size() > 3 && stem.compare(stem.size() - 3, 3, ".h5") == 0) stem.resize(stem.size() - 3);
  const int width = std::max<int>(5, static_cast<int>(std::to_string(id.count).size()));
  char buf[64];
  std::snprintf(buf, sizeof buf, ".shard-%0*llu-of-%0*llu.h5", width, static_cast<unsigned long long>(id.index),
                width, static_cast<unsigned long long>(id.count));
  return stem + buf;
}

std::map<std::string, std::string> shard_attributes(const plan& p, shard_id id,
                                                    const std::vector<std::string>& axis_names) {
  const tile_range r = shard_range(p, id.index, id.count);
  std::string axes, shape;
  for (std::size_t i = 0; i < axis_names.size(); ++i) {
    axes += (i ? " " : "") + axis_names[i];
    shape += (i ? " " : "") + std::to_string(p.chunk[i]);
  }
  return {{"shard_index", std::to_string(id.index)},
          {"num_shards", std::to_string(id.count)},
          {"shard_tile_first", std::to_string(r.first)},
          {"shard_tile_last", std::to_string(r.last)},
          {"tile_count", std::to_string(p.tile_count)},
          {"tile_axes", axes},
          {"tile_shape", shape}};
}

}  // namespace ftg
