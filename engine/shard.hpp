// engine/shard.hpp: `ftg run --shard-index I --num-shards N`: which tiles one process computes.
//
// 1. What: a shard is shard_range(plan, I, N) (engine/plan.hpp): a balanced, contiguous range of
//    tiles; the N shards are disjoint and cover every tile. resolve_shard() picks I and N from the
//    command line, else from Slurm's array variables (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT,
//    SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_STEP), so `sbatch --array=0-15` needs no options.
//    shard_output_name() is the default file name, NAME.shard-00003-of-00016.h5, and
//    shard_attributes() the root attributes that make a shard file self-describing
//    (docs/cluster.md; `ftg merge` reads them back).
// 2. Preconditions: none; bad values throw usage_error naming the option or variable.
// 3. Method: plain parsing; the environment is read through a callback (tests pass a map).
// 4. Pure apart from the callback; reentrant.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ftg {

struct plan;

struct shard_id {
  std::uint64_t index = 0;  ///< 0 <= index < count
  std::uint64_t count = 1;
};

/// Looks up an environment variable; nullptr when unset (std::getenv's contract).
using env_lookup = std::function<const char*(const char*)>;

/// The shard of this process, or nullopt for an unsharded run. Each of index and count comes
/// from its option text (if given), else from Slurm: index = (SLURM_ARRAY_TASK_ID -
/// SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP (MIN 0 and STEP 1 when unset), count =
/// SLURM_ARRAY_TASK_COUNT. `use_env` false ignores Slurm (--no-shard-env). Throws usage_error
/// (command `command`) for a non-numeric or negative value, index >= count, count 0, or only
/// one of the two known.
std::optional<shard_id> resolve_shard(const std::optional<std::string>& index_option,
                                      const std::optional<std::string>& count_option, bool use_env,
                                      const env_lookup& env, std::string_view command);

/// "dir/NAME.h5" -> "dir/NAME.shard-00003-of-00016.h5" (at least 5 digits, more when needed).
std::string shard_output_name(const std::string& output, shard_id id);

/// The root attributes of a shard file: shard_index, num_shards, shard_tile_first,
/// shard_tile_last (half-open), tile_count, tile_axes (space-separated axis names) and
/// tile_shape (space-separated chunk extents), all decimal text.
std::map<std::string, std::string> shard_attributes(const plan& p, shard_id id,
                                                    const std::vector<std::string>& axis_names);

}  // namespace ftg
