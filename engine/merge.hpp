// engine/merge.hpp: `ftg merge OUTPUT [SHARD|DIR ...]`: shard files of one sweep into one file.
//
// 1. What: find_shards() turns the arguments into the shard set: each FILE as given, each DIR's
//    *.shard-*-of-*.h5 files, or with no argument the shards of OUTPUT
//    (OUTPUT_STEM.shard-*-of-*.h5 next to it). check_shard_set() reads them
//    (engine/h5/h5_merge.hpp: complete, self-describing) and refuses, naming the file: a
//    missing shard (and says when only its .partial exists), a duplicate or overlapping one, a
//    foreign one (another sweep_hash, shard count or tile count). merge_shards() then writes the
//    merged file (materialised, or --virtual) through OUTPUT.partial.
// 2. Preconditions: none; usage errors (exit 2) and runtime errors (exit 1, naming the file).
// 3. Method: std::filesystem for discovery, engine/h5/h5_merge for HDF5.
// 4. Single-threaded.
#pragma once

#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/h5/h5_merge.hpp"

namespace ftg {

struct merge_options {
  std::string output;
  std::vector<std::string> inputs;  ///< files or directories; empty: the shards of `output`
  bool virtual_dataset = false;
  bool force = false;
  std::string command_line;
};

/// The shard files named by `inputs` (see above), sorted by name. Throws usage_error for a
/// directory without shards, runtime_error for a FILE that does not exist.
std::vector<std::string> find_shards(const std::string& output, const std::vector<std::string>& inputs);

/// Reads every file and checks the set: one complete shard for every index 0..N-1, same sweep.
/// Returns them sorted by shard index.
std::vector<h5::shard_file> check_shard_set(const std::vector<std::string>& files);

struct merge_summary {
  std::size_t shards = 0;
  std::uint64_t tiles = 0;
  h5::merge_stats stats;
  double seconds = 0.0;
};

merge_summary merge_shards(const merge_options& opts);

/// `ftg merge` on the command line (engine/cli.cpp).
int merge_command(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

}  // namespace ftg
