// `ftg run`, `ftg plan` and `ftg validate`: command-line front ends of engine/run.hpp,
// engine/plan.hpp and engine/h5/h5_validate.hpp. Parsed with Boost.Program_options; the
// variables_map stays in this file.
#include "engine/sweep_commands.hpp"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include <boost/program_options.hpp>

#include "engine/cli.hpp"
#include "engine/error.hpp"
#include "engine/h5/h5_validate.hpp"
#include "engine/plan.hpp"
#include "engine/run.hpp"
#include "engine/shard.hpp"
#include "engine/signals.hpp"
#include "engine/sweep.hpp"

namespace po = boost::program_options;

namespace ftg {
namespace {

struct parsed {
  po::variables_map vm;
  std::vector<std::string> positional;
  bool help = false;
};

parsed parse(std::string_view name, std::span<const std::string_view> args, const po::options_description& desc) {
  parsed p;
  const std::vector<std::string> tokens(args.begin(), args.end());
  try {
    po::options_description all = desc;
    all.add_options()("positional", po::value<std::vector<std::string>>(), "");
    po::positional_options_description pos;
    pos.add("positional", -1);
    const po::parsed_options opts = po::command_line_parser(tokens).options(all).positional(pos).run();
    po::store(opts, p.vm);
  } catch (const po::error& e) {
    throw usage_error(name, e.what());
  }
  p.help = p.vm.count("help") != 0;
  if (p.vm.count("positional") != 0) p.positional = p.vm["positional"].as<std::vector<std::string>>();
  return p;
}

std::string joined(std::span<const std::string_view> args, std::string_view name) {
  std::string s = "ftg " + std::string(name);
  for (std::string_view a : args) (s += ' ') += a;
  return s;
}

std::vector<std::string> sets(const po::variables_map& vm) {
  return vm.count("set") != 0 ? vm["set"].as<std::vector<std::string>>() : std::vector<std::string>{};
}

}  // namespace

std::optional<run_options> parse_run_command(std::span<const std::string_view> args, std::ostream& out) {
  po::options_description d("Options");
  d.add_options()("output,o", po::value<std::string>(), "output file (default: <sweep name>.h5)")
      ("resume", "continue OUTPUT.partial of an interrupted run")
      ("force", "overwrite an existing OUTPUT")
      ("continue", "resume OUTPUT.partial if it exists, do nothing if OUTPUT is complete, else start (batch jobs)")
      ("set", po::value<std::vector<std::string>>(), "override a sweep key: --set grid.c1=linspace(1,2,3) (repeatable)")
      ("threads", po::value<int>(), "worker threads (default: all)")
      ("progress", po::value<std::string>(), "auto (default), bar, lines or none")
      ("progress-interval", po::value<double>(), "seconds between progress lines (default 10)")
      ("checkpoint-interval", po::value<double>(),
       "seconds between flushes of the finished tiles (default 1; 0: after every tile)")
      ("quiet,q", "no progress, only the summary line")
      ("compute-only", "run the kernels but write nothing (benchmarks)")
      ("shard-index", po::value<std::string>(), "compute only shard I of --num-shards (default: from SLURM_ARRAY_TASK_ID; docs/cluster.md)")
      ("num-shards", po::value<std::string>(), "number of shards (default: SLURM_ARRAY_TASK_COUNT)")
      ("no-shard-env", "ignore the SLURM_ARRAY_* variables (an unsharded run inside an array job)")
      ("help,h", "print this help");
  const parsed p = parse("run", args, d);
  if (p.help) {
    out << "Usage: ftg run SWEEP.ini [options]\n\nRuns a sweep file (docs/sweeps.md) into one HDF5 file "
           "(output_schemas/ftg_results_v1.md).\n\n"
        << d
        << "\nExit codes: 0 ok; 1 runtime error; 2 usage error; 3 finished with cells not ok;\n"
           "75 stopped by SIGINT/SIGTERM/SIGUSR1, continue with --resume.\n";
    return std::nullopt;
  }
  if (p.positional.size() != 1) throw usage_error("run", "expects exactly one sweep file (try 'ftg run --help')");
  run_options o;
  o.sweep_path = p.positional[0];
  o.overrides = sets(p.vm);
  if (p.vm.count("output")) o.output = p.vm["output"].as<std::string>();
  o.resume = p.vm.count("resume") != 0;
  o.force = p.vm.count("force") != 0;
  o.compute_only = p.vm.count("compute-only") != 0;
  if (p.vm.count("threads")) {
    o.threads = p.vm["threads"].as<int>();
    if (o.threads < 1) throw usage_error("run", "--threads must be >= 1 (got " + std::to_string(o.threads) + ")");
  }
  if (p.vm.count("progress")) {
    const std::string m = p.vm["progress"].as<std::string>();
    if (m == "auto") o.progress = progress_mode::automatic;
    else if (m == "bar") o.progress = progress_mode::bar;
    else if (m == "lines") o.progress = progress_mode::lines;
    else if (m == "none") o.progress = progress_mode::none;
    else throw usage_error("run", "--progress must be auto, bar, lines or none (got '" + m + "')");
  }
  if (p.vm.count("quiet")) o.progress = progress_mode::none;
  if (p.vm.count("checkpoint-interval")) {
    const double s = p.vm["checkpoint-interval"].as<double>();
    if (!(s >= 0.0 && s < 1e6)) throw usage_error("run", "--checkpoint-interval must be in [0, 1e6) seconds");
    o.flush_interval = std::chrono::milliseconds(static_cast<long long>(s * 1000.0));
  }
  if (p.vm.count("progress-interval")) {
    const double s = p.vm["progress-interval"].as<double>();
    if (!(s > 0.0 && s < 1e6)) throw usage_error("run", "--progress-interval must be in (0, 1e6) seconds");
    o.progress_interval = std::chrono::milliseconds(static_cast<long long>(s * 1000.0));
  }
  if (o.resume && o.force) throw usage_error("run", "--resume and --force contradict each other");
  o.continue_run = p.vm.count("continue") != 0;
  if (o.continue_run && (o.resume || o.force))
    throw usage_error("run", "--continue contradicts --resume and --force");
  const auto text = [&](const char* name) {
    return p.vm.count(name) ? std::optional<std::string>(p.vm[name].as<std::string>()) : std::nullopt;
  };
  o.shard = resolve_shard(text("shard-index"), text("num-shards"), p.vm.count("no-shard-env") == 0,
                          [](const char* name) { return static_cast<const char*>(std::getenv(name)); }, "run");
  o.stderr_is_terminal = isatty(fileno(stderr)) != 0;
  o.command_line = joined(args, "run");
  return o;
}

int run_command(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  const std::optional<run_options> parsed_options = parse_run_command(args, out);
  if (!parsed_options) return exit_ok;  // --help
  const run_options& o = *parsed_options;
  const run_summary s = run_sweep(o, err);
  err << "ftg run: " << describe_summary(s) << '\n';
  if (s.stopped) return exit_resumable;
  return s.cells_not_ok > 0 ? exit_not_ok : exit_ok;
}

int plan_command(std::span<const std::string_view> args, std::ostream& out, std::ostream& /*err*/) {
  po::options_description d("Options");
  d.add_options()("set", po::value<std::vector<std::string>>(), "override a sweep key (repeatable)")
      ("output,o", po::value<std::string>(), "where the run would write (default: <sweep name>.h5); its disk is checked")
      ("help,h", "print this help");
  const parsed p = parse("plan", args, d);
  if (p.help) {
    out << "Usage: ftg plan SWEEP.ini [--set KEY=VALUE ...]\n\nPrints cells, tiles, chunk shape, output "
           "size and peak memory of a sweep, without running it.\n\n"
        << d;
    return exit_ok;
  }
  if (p.positional.size() != 1) throw usage_error("plan", "expects exactly one sweep file (try 'ftg plan --help')");
  const sweep_spec spec = parse_sweep(p.positional[0], sets(p.vm), "plan");
  const plan pl = make_plan(spec);
  out << describe_plan(pl, spec);
  // Refuse a sweep that will not fit, before anyone starts it.
  check_disk_space(peak_disk_bytes(pl), p.vm.count("output") ? p.vm["output"].as<std::string>() : spec.name + ".h5", "plan");
  return exit_ok;
}

int validate_command(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  po::options_description d("Options");
  d.add_options()("help,h", "print this help");
  const parsed p = parse("validate", args, d);
  if (p.help) {
    out << "Usage: ftg validate FILE.h5\n\nChecks a file against output_schemas/ftg_results_v1.md; prints "
           "every violation, one per line.\n\n"
        << d << "\nExit codes: 0 valid; 1 invalid or unreadable; 2 usage error.\n";
    return exit_ok;
  }
  if (p.positional.size() != 1) throw usage_error("validate", "expects exactly one file");
  const std::vector<std::string> problems = h5::validate_file(p.positional[0]);
  for (const std::string& m : problems) err << "ftg validate: " << p.positional[0] << ": " << m << '\n';
  if (problems.empty()) out << p.positional[0] << ": valid ftg-results file\n";
  return problems.empty() ? exit_ok : exit_runtime_error;
}

}  // namespace ftg
