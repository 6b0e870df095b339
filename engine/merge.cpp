#include "engine/merge.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>

#include <boost/program_options.hpp>

#include "engine/cli.hpp"
#include "engine/error.hpp"
#include "engine/plan.hpp"
#include "engine/shard.hpp"

namespace fs = std::filesystem;
namespace po = boost::program_options;

namespace ftg {
namespace {

constexpr std::string_view command = "merge";

// NAME.shard-00003-of-00016.h5 (engine/shard.cpp's shard_output_name).
const std::regex& shard_name_pattern() {
  static const std::regex re(R"(^(.*)\.shard-([0-9]+)-of-([0-9]+)\.h5$)");
  return re;
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> shards_in(const fs::path& dir, const std::string& stem) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir.empty() ? fs::path(".") : dir, ec)) {
    const std::string name = e.path().filename().string();
    std::smatch m;
    // A shard that did not finish: name it rather than report it missing.
    const std::string unpartial = ends_with(name, ".partial") ? name.substr(0, name.size() - 8) : std::string();
    if (!unpartial.empty() && std::regex_match(unpartial, m, shard_name_pattern()) &&
        (stem.empty() || m[1].str() == stem))
      throw runtime_error(command, (dir / name).string() + ": incomplete shard (a .partial file): resume it with ftg run --resume");
    if (!std::regex_match(name, m, shard_name_pattern())) continue;
    if (!stem.empty() && m[1].str() != stem) continue;
    out.push_back((dir.empty() ? fs::path(name) : dir / name).string());
  }
  return out;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

std::vector<std::string> find_shards(const std::string& output, const std::vector<std::string>& inputs) {
  std::vector<std::string> files;
  if (inputs.empty()) {
    const fs::path out(output);
    std::string stem = out.filename().string();
    if (ends_with(stem, ".h5")) stem.resize(stem.size() - 3);
    files = shards_in(out.parent_path(), stem);
    if (files.empty())
      throw usage_error(command, "no shard files " + (out.parent_path() / (stem + ".shard-*-of-*.h5")).string() +
                                     " (name the shards or their directory after OUTPUT)");
  }
  for (const std::string& in : inputs) {
    if (fs::is_directory(in)) {
      const auto found = shards_in(in, "");
      if (found.empty()) throw usage_error(command, in + ": directory holds no *.shard-*-of-*.h5 files");
      files.insert(files.end(), found.begin(), found.end());
    } else if (ends_with(in, ".partial")) {
      throw runtime_error(command, in + ": incomplete shard (a .partial file): resume it with ftg run --resume");
    } else if (!fs::exists(in)) {
      if (fs::exists(in + ".partial"))
        throw runtime_error(command, in + ": incomplete shard: only " + in + ".partial exists; resume it with ftg run --resume");
      throw runtime_error(command, in + ": no such shard file");
    } else {
      files.push_back(in);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<h5::shard_file> check_shard_set(const std::vector<std::string>& files) {
  if (files.empty()) throw usage_error(command, "no shard files given");
  std::vector<h5::shard_file> shards;
  for (const std::string& f : files) shards.push_back(h5::read_shard(f));
  const h5::shard_file& first = shards.front();
  for (const h5::shard_file& s : shards) {
    if (s.sweep_hash != first.sweep_hash)
      throw runtime_error(command, s.path + ": belongs to another sweep (sweep_hash " + s.sweep_hash + ", " +
                                       first.path + " has " + first.sweep_hash + ")");
    if (s.count != first.count || s.tile_count != first.tile_count || s.tile_shape != first.tile_shape ||
        s.tile_axes != first.tile_axes)
      throw runtime_error(command, s.path + ": foreign shard: " + std::to_string(s.count) + " shards of " +
                                       std::to_string(s.tile_count) + " tiles, but " + first.path + " is one of " +
                                       std::to_string(first.count) + " shards of " + std::to_string(first.tile_count) +
                                       " tiles");
  }
  std::sort(shards.begin(), shards.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  for (std::size_t i = 1; i < shards.size(); ++i)
    if (shards[i].index == shards[i - 1].index)
      throw runtime_error(command, shards[i].path + ": duplicate shard " + std::to_string(shards[i].index) + " of " +
                                       std::to_string(first.count) + " (also " + shards[i - 1].path + ")");
  // The expected name of a missing shard, from the first one's name.
  const auto expected_name = [&](std::uint64_t index) {
    std::smatch m;
    const std::string name = fs::path(first.path).filename().string();
    const fs::path dir = fs::path(first.path).parent_path();
    const std::string stem = std::regex_match(name, m, shard_name_pattern()) ? m[1].str() : "NAME";
    return (dir / shard_output_name(stem + ".h5", shard_id{index, first.count})).string();
  };
  std::size_t next = 0;
  for (std::uint64_t index = 0; index < first.count; ++index) {
    if (next < shards.size() && shards[next].index == index) {
      const h5::shard_file& s = shards[next++];
      // The range the shard claims must be its balanced share (engine/plan.hpp shard_range).
      const std::uint64_t base = s.tile_count / s.count, extra = s.tile_count % s.count;
      const std::uint64_t lo = index * base + std::min(index, extra);
      const std::uint64_t hi = lo + base + (index < extra ? 1 : 0);
      if (s.tile_first != lo || s.tile_last != hi)
        throw runtime_error(command, s.path + ": shard " + std::to_string(index) + " claims tiles " +
                                         std::to_string(s.tile_first) + "-" + std::to_string(s.tile_last) +
                                         ", its share is " + std::to_string(lo) + "-" + std::to_string(hi) +
                                         " (overlapping shards)");
      continue;
    }
    const std::string want = expected_name(index);
    if (fs::exists(want + ".partial"))
      throw runtime_error(command, want + ": shard " + std::to_string(index) + " of " + std::to_string(first.count) +
                                       " is incomplete (only its .partial exists); resume it with ftg run --resume");
    throw runtime_error(command, want + ": shard " + std::to_string(index) + " of " + std::to_string(first.count) +
                                     " is missing");
  }
  return shards;
}

merge_summary merge_shards(const merge_options& opts) {
  const auto t0 = std::chrono::steady_clock::now();
  if (opts.output.empty()) throw usage_error(command, "expects OUTPUT (try 'ftg merge --help')");
  if (fs::exists(opts.output) && !opts.force)
    throw usage_error(command, opts.output + " exists (use --force to overwrite)");
  const std::vector<std::string> files = find_shards(opts.output, opts.inputs);
  std::error_code ec;
  for (const std::string& f : files)
    if (fs::equivalent(f, opts.output, ec)) throw usage_error(command, opts.output + " is one of the shards");
  const std::vector<h5::shard_file> shards = check_shard_set(files);
  merge_summary s;
  s.shards = shards.size();
  s.tiles = shards.front().tile_count;
  s.stats = h5::write_merged(shards, opts.output,
                             opts.virtual_dataset ? h5::merge_mode::virtual_dataset : h5::merge_mode::materialise,
                             utc_now() + ": " + opts.command_line);
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return s;
}

int merge_command(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  po::options_description d("Options");
  d.add_options()("virtual", "write an HDF5 virtual-dataset master file that maps each shard (no copy)")
      ("force", "overwrite an existing OUTPUT")
      ("quiet,q", "no summary line")
      ("help,h", "print this help");
  po::options_description all = d;
  all.add_options()("positional", po::value<std::vector<std::string>>(), "");
  po::positional_options_description pos;
  pos.add("positional", -1);
  po::variables_map vm;
  try {
    const std::vector<std::string> tokens(args.begin(), args.end());
    po::store(po::command_line_parser(tokens).options(all).positional(pos).run(), vm);
  } catch (const po::error& e) {
    throw usage_error(command, e.what());
  }
  if (vm.count("help")) {
    out << "Usage: ftg merge OUTPUT [SHARD.h5 | DIR ...] [--virtual] [--force]\n\n"
           "Merges the shard files of one sweep (ftg run --shard-index I --num-shards N) into OUTPUT.\n"
           "Without SHARD arguments it takes OUTPUT's own shards, OUTPUT_STEM.shard-*-of-*.h5 next to it;\n"
           "a DIR stands for every *.shard-*-of-*.h5 in it. Every shard 0..N-1 must be present, complete\n"
           "and of the same sweep; otherwise nothing is written. Default: one file with every chunk\n"
           "copied (the same data as a single-process run); --virtual: a small HDF5 virtual-dataset\n"
           "file that reads through to the shards (keep them next to it). docs/cluster.md.\n\n"
        << d << "\nExit codes: 0 ok; 1 a shard is missing, incomplete, foreign or overlapping, or I/O failed;\n"
                "2 usage error.\n";
    return exit_ok;
  }
  std::vector<std::string> pos_args;
  if (vm.count("positional")) pos_args = vm["positional"].as<std::vector<std::string>>();
  if (pos_args.empty()) throw usage_error(command, "expects OUTPUT [SHARD|DIR ...] (try 'ftg merge --help')");
  merge_options o;
  o.output = pos_args.front();
  o.inputs.assign(pos_args.begin() + 1, pos_args.end());
  o.virtual_dataset = vm.count("virtual") != 0;
  o.force = vm.count("force") != 0;
  o.command_line = "ftg merge";
  for (std::string_view a : args) (o.command_line += ' ') += a;
  const merge_summary s = merge_shards(o);
  if (!vm.count("quiet")) {
    const double mib = static_cast<double>(s.stats.bytes) / (1024.0 * 1024.0);
    err << "ftg merge: " << s.shards << " shards, " << s.tiles << " tiles, " << s.stats.datasets << " datasets, "
        << s.stats.chunks << " chunks (" << format_bytes(s.stats.bytes) << ") "
        << (o.virtual_dataset ? "checked, " + std::to_string(s.stats.mappings) + " virtual mappings" : "copied")
        << " in " << s.seconds << " s";
    if (!o.virtual_dataset && s.seconds > 0) err << " (" << mib / s.seconds << " MiB/s)";
    err << ", output: " << o.output << '\n';
  }
  return exit_ok;
}

}  // namespace ftg
