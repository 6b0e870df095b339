#include "engine/cli.hpp"

#include <array>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/program_options.hpp>

#include "engine/error.hpp"
#include "engine/merge.hpp"
#include "engine/multi_args.hpp"
#include "engine/report.hpp"
#include "engine/sweep_commands.hpp"
#include "engine/values.hpp"
#include "engine/version.hpp"

namespace po = boost::program_options;

namespace ftg {

namespace {

using command_fn = int (*)(std::span<const std::string_view>, std::ostream&, std::ostream&);

struct command_info {
  std::string_view name;
  std::string_view summary;
  command_fn run;
};

int solve_command(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

// Every subcommand; `ftg --help` lists them in this order.
constexpr std::array commands{
    command_info{"solve", "every bargaining solution and the Pareto set of one game (2 or n players)",
                 &solve_command},
    command_info{"run", "run a sweep file into one HDF5 file (docs/sweeps.md)", &run_command},
    command_info{"plan", "cells, tiles, output size and memory of a sweep file, without running it", &plan_command},
    command_info{"validate", "check an output file against output_schemas/ftg_results_v1.md", &validate_command},
    command_info{"merge", "merge the shard files of a sweep into one file (docs/cluster.md)", &merge_command},
};

// Long options spelled out in full (no allow_guessing: "--bet" is a typo, not --beta), "-h" as
// the only short option. "--d0 -1" still works: Program_options takes "-1" as the value because
// no short option "-1" exists.
constexpr int cli_style =
    po::command_line_style::allow_long | po::command_line_style::long_allow_adjacent |
    po::command_line_style::long_allow_next | po::command_line_style::allow_short |
    po::command_line_style::short_allow_next | po::command_line_style::allow_dash_for_short;

constexpr std::string_view solve_name = "solve";

std::string cat(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (std::string_view p : parts) s += p;
  return s;
}

// One line naming the option and the rule, from Program_options' own exception.
std::string describe(const po::error& e) {
  if (const auto* u = dynamic_cast<const po::unknown_option*>(&e)) {
    const std::string name = u->get_option_name();
    if (name == "--delta") return "unknown option --delta (delta* is what solve computes, not an input)";
    return "unknown option " + name;
  }
  if (const auto* m = dynamic_cast<const po::multiple_occurrences*>(&e))
    return m->get_option_name() + " given more than once";
  if (const auto* s = dynamic_cast<const po::invalid_command_line_syntax*>(&e)) {
    const std::string name = s->get_option_name();
    switch (s->kind()) {
      case po::invalid_syntax::missing_parameter: return name + " requires a value";
      case po::invalid_syntax::extra_parameter: return name + " takes no value";
      case po::invalid_syntax::empty_adjacent_parameter: return name + " requires a value after '='";
      default: break;
    }
  }
  return e.what();
}

po::options_description solve_options() {
  po::options_description d("Options", 100, 50);
  d.add_options()
      ("c0", po::value<std::string>()->value_name("C0"),
       "G's cost scale, phi0 = c0*alpha0^k0 (required; > 0)")
      ("c1", po::value<std::string>()->value_name("C1"),
       "D's cost scale, phi1 = c1*(alpha1-alpha0)^k1 (required; > 0)")
      ("k0", po::value<std::string>()->value_name("K0"), "G's cost exponent (> 1; default 2)")
      ("k1", po::value<std::string>()->value_name("K1"), "D's cost exponent (> 1; default 2)")
      ("d0", po::value<std::string>()->value_name("D0"), "G's disagreement payoff (default 0)")
      ("d1", po::value<std::string>()->value_name("D1"), "D's disagreement payoff (default 0)")
      ("beta", po::value<std::string>()->value_name("BETA"),
       "G's weight in generalized_nash (in (0, 1); default 0.5)")
      ("method", po::value<std::string>()->value_name("M"),
       "numeric (default), closed-form (k0 = k1 = 2) or both (two-player only)")
      ("json", po::bool_switch(), "print JSON instead of a table (fields: docs/cli.md)")
      ("help,h", "print this help and exit");
  po::options_description m("n specialists (any of these selects them; LIST: a value per class, or one for all)",
                            100, 50);
  m.add_options()
      ("n", po::value<std::string>()->value_name("N"),
       "number of specialists (default: the sum of --count; else 1)")
      ("c", po::value<std::string>()->value_name("LIST"),
       "cost scale, phi_i = f + m*(a_i-a0) + c*(a_i-a0)^k (required; > 0)")
      ("k", po::value<std::string>()->value_name("LIST"), "cost exponent (> 1; default 2)")
      ("f", po::value<std::string>()->value_name("LIST"), "fixed cost of taking part (>= 0; default 0)")
      ("m", po::value<std::string>()->value_name("LIST"), "linear marginal cost (>= 0; default 0)")
      ("s", po::value<std::string>()->value_name("LIST"), "revenue scale, r_i = s*a_i^b (> 0; default 1)")
      ("b", po::value<std::string>()->value_name("LIST"), "revenue exponent (in (0, 1]; default 1)")
      ("d", po::value<std::string>()->value_name("LIST"), "disagreement payoff (default 0)")
      ("count", po::value<std::string>()->value_name("LIST"),
       "identical specialists per class (integer >= 1; default 1)")
      ("game", po::value<std::string>()->value_name("FILE"),
       "the game as an INI file (docs/cli.md); options override its values");
  d.add(m);
  return d;
}

// The n-specialist options, in the order in which the first one given names the mode in messages.
constexpr std::array<const char*, 10> multi_option_names{"n", "c", "k", "f", "m", "s",
                                                         "b", "d", "count", "game"};

void write_solve_help(std::ostream& out) {
  out << "Usage: ftg solve --c0 C0 --c1 C1 [--k0 K0] [--k1 K1] [--d0 D0] [--d1 D1] [--beta BETA]\n"
         "                 [--method numeric|closed-form|both] [--json]\n"
         "       ftg solve --c0 C0 [--k0 K0] [--d0 D0] [--n N] --c LIST [--k LIST] [--f LIST] [--m LIST]\n"
         "                 [--s LIST] [--b LIST] [--d LIST] [--count LIST] [--game FILE] [--json]\n"
         "\n"
         "Every bargaining solution delta* of the two-player fine-tuning game (Laufer, Kleinberg and\n"
         "Heidari, arXiv:2308.04399v3) and its Pareto set, with costs phi0 = c0*alpha0^k0 (G) and\n"
         "phi1 = c1*(alpha1-alpha0)^k1 (D) and disagreement payoffs d0, d1. Each solution shows\n"
         "delta*, UG, UD, alpha0, alpha1, its status and the flags in_pareto, tie and degenerate.\n"
         "With --method both (useful for k0 = k1 = 2) the closed form and the numeric result are\n"
         "shown on adjacent rows with their largest absolute difference.\n"
         "\n"
         "The second form solves the game with n specialists (Section 5) in classes of identical\n"
         "specialists: --c 1,2 --count 3,1 is 3 specialists with c = 1 and one with c = 2. For every\n"
         "solution it shows delta*, G's utility, alpha0 and the flags, and per class alpha_i, U_i and\n"
         "the regime (contributor, free_rider, abstainer); then the Pareto set and Theorem 5.1's\n"
         "intervals. --c1, --k1, --d1, --beta and --method closed-form|both are two-player only.\n"
         "\n"
      << solve_options()
      << "\n"
         "Exit codes: 0 ok; 1 runtime error; 2 usage error; 3 some result has a failure status\n"
         "(neither ok nor disagreement; e.g. no_closed_form for --method closed-form with k != 2).\n";
}

void write_main_help(std::ostream& out) {
  out << "Usage: ftg <command> [options]\n"
         "       ftg <command> --help\n"
         "       ftg --help | --version\n"
         "\n"
         "Parameter-sweep engine for the fine-tuning games of Laufer, Kleinberg and Heidari\n"
         "(arXiv:2308.04399v3).\n"
         "\n"
         "Commands:\n";
  std::size_t width = 0;
  for (const command_info& c : commands) width = std::max(width, c.name.size());
  for (const command_info& c : commands)
    out << "  " << c.name << std::string(width - c.name.size() + 3, ' ') << c.summary << '\n';
  out << "\n"
         "Exit codes: 0 ok; 1 runtime error; 2 usage error; 3 some result has a failure status.\n"
         "Documentation: docs/cli.md.\n";
}

// The whole token must be a decimal or scientific number; "nan" and "inf" parse so that the
// finiteness rule can name them (engine/values.hpp).
double parse_number(std::string_view option, std::string_view text) {
  double x = 0.0;
  const std::string rule = read_number(text, x);
  if (!rule.empty()) throw usage_error(solve_name, cat({"--", option, " ", rule}));
  return x;
}

const std::string* find(const po::variables_map& vm, const char* option) {
  const auto it = vm.find(option);
  return it == vm.end() ? nullptr : &it->second.as<std::string>();
}

double number_option(const po::variables_map& vm, const char* option, double fallback,
                     bool required) {
  const std::string* text = find(vm, option);
  if (text == nullptr) {
    if (required) throw usage_error(solve_name, cat({"--", option, " is required"}));
    return fallback;
  }
  return parse_number(option, *text);
}

void require(bool ok, const char* option, std::string_view rule, const po::variables_map& vm) {
  if (ok) return;
  throw usage_error(solve_name, cat({"--", option, " must be ", rule, " (got ", *find(vm, option), ")"}));
}

int solve_command(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  const solve_invocation inv = parse_solve_command_line(args);
  if (inv.help) {
    write_solve_help(out);
    return exit_ok;
  }
  int failures = 0;
  int results = 0;
  if (inv.mode == solve_mode::multi) {
    const multi_solve_report report = solve_multi_game(inv.multi);
    if (inv.json) {
      write_multi_json(out, report);
    } else {
      write_multi_table(out, report);
    }
    failures = count_failures(report);
    results = result_count(report);
  } else {
    const solve_report report = solve(inv.config);
    if (inv.json) {
      write_solve_json(out, report);
    } else {
      write_solve_table(out, report);
    }
    failures = count_failures(report);
    const int methods = (report.closed_form ? 1 : 0) + (report.numeric ? 1 : 0);
    results = methods * (solution_count + 1);
  }
  out.flush();
  if (!out) throw runtime_error(solve_name, "cannot write the output");

  if (failures > 0) {
    err << "ftg solve: " << failures << " of " << results
        << " results have a failure status (neither ok nor disagreement; see status)\n";
    return exit_not_ok;
  }
  return exit_ok;
}

std::optional<std::string> text_of(const po::variables_map& vm, const char* option) {
  const std::string* t = find(vm, option);
  return t == nullptr ? std::nullopt : std::optional<std::string>(*t);
}

// n-specialist mode: the two-player spellings are errors that say what to use instead.
void parse_multi(const po::variables_map& vm, const char* trigger, solve_invocation& inv) {
  const std::string mode = cat({"with --", trigger, " (n specialists)"});
  for (const auto& [two_player, multi] : {std::pair{"c1", "c"}, std::pair{"k1", "k"}, std::pair{"d1", "d"}})
    if (find(vm, two_player) != nullptr)
      throw usage_error(solve_name, cat({"--", two_player, " is the two-player option; ", mode,
                                         " use --", multi, " (one value per specialist class)"}));
  if (find(vm, "beta") != nullptr)
    throw usage_error(solve_name, cat({"--beta is for the two-player game only; ", mode,
                                       " there is no generalized_nash"}));
  if (const std::string* m = find(vm, "method")) {
    if (*m == to_string(solve_method::closed_form) || *m == to_string(solve_method::both))
      throw usage_error(solve_name, cat({"--method ", *m, " is available for one specialist only (the ",
                                         "two-player game with --c1); ", mode, " use --method numeric"}));
    if (*m != to_string(solve_method::numeric))
      throw usage_error(solve_name,
                        cat({"--method must be numeric, closed-form or both (got '", *m, "')"}));
  }
  multi_arguments a;
  a.c0 = text_of(vm, "c0");
  a.k0 = text_of(vm, "k0");
  a.d0 = text_of(vm, "d0");
  a.n = text_of(vm, "n");
  for (int i = 0; i < specialist_field_count; ++i) {
    const std::string name(field_name(static_cast<specialist_field>(i)));
    a.lists[static_cast<std::size_t>(i)] = text_of(vm, name.c_str());
  }
  a.count = text_of(vm, "count");
  a.game_file = text_of(vm, "game");
  inv.mode = solve_mode::multi;
  inv.multi = build_multi_config(a);
}

int dispatch(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  if (args.empty()) throw usage_error("", "missing command (try 'ftg --help')");
  const std::string_view first = args.front();
  const auto rest = args.subspan(1);

  if (first == "--help" || first == "-h" || first == "help") {
    if (rest.empty()) {
      write_main_help(out);
      return exit_ok;
    }
    // "ftg help solve" is "ftg solve --help".
    for (const command_info& c : commands) {
      if (rest.size() == 1 && c.name == rest.front()) {
        const std::array<std::string_view, 1> help{"--help"};
        return c.run(help, out, err);
      }
    }
    throw usage_error("", cat({"unexpected argument '", rest.front(), "' after ", first}));
  }
  if (first == "--version") {
    if (!rest.empty())
      throw usage_error("", cat({"unexpected argument '", rest.front(), "' after --version"}));
    out << "ftg " << version() << '\n';
    return exit_ok;
  }
  for (const command_info& c : commands)
    if (c.name == first) return c.run(rest, out, err);
  if (first.starts_with('-'))
    throw usage_error("", cat({"unknown option ", first, " (try 'ftg --help')"}));
  throw usage_error("", cat({"unknown command '", first, "' (try 'ftg --help')"}));
}

}  // namespace

solve_invocation parse_solve_command_line(std::span<const std::string_view> args) {
  const po::options_description desc = solve_options();
  const std::vector<std::string> tokens(args.begin(), args.end());
  po::variables_map vm;
  try {
    const po::parsed_options parsed =
        po::command_line_parser(tokens).options(desc).style(cli_style).run();
    for (const po::option& opt : parsed.options) {
      // No positional arguments are declared, so Program_options passes them through unchecked.
      if (opt.position_key != -1) {
        const std::string token = opt.original_tokens.empty() ? "" : opt.original_tokens.front();
        throw usage_error(solve_name, "unexpected argument '" + token + "'");
      }
    }
    po::store(parsed, vm);
  } catch (const po::error& e) {
    throw usage_error(solve_name, describe(e));
  }

  solve_invocation inv;
  if (vm.count("help") != 0) {
    inv.help = true;
    return inv;
  }
  inv.json = vm["json"].as<bool>();

  for (const char* name : multi_option_names) {
    if (find(vm, name) != nullptr) {
      parse_multi(vm, name, inv);
      return inv;
    }
  }

  game_params& g = inv.config.game;
  g.c0 = number_option(vm, "c0", 0.0, true);
  require(g.c0 > 0.0, "c0", "> 0", vm);
  g.c1 = number_option(vm, "c1", 0.0, true);
  require(g.c1 > 0.0, "c1", "> 0", vm);
  g.k0 = number_option(vm, "k0", 2.0, false);
  if (find(vm, "k0") != nullptr) require(g.k0 > 1.0, "k0", "> 1", vm);
  g.k1 = number_option(vm, "k1", 2.0, false);
  if (find(vm, "k1") != nullptr) require(g.k1 > 1.0, "k1", "> 1", vm);
  g.d0 = number_option(vm, "d0", 0.0, false);
  g.d1 = number_option(vm, "d1", 0.0, false);
  inv.config.beta = number_option(vm, "beta", 0.5, false);
  if (find(vm, "beta") != nullptr)
    require(inv.config.beta > 0.0 && inv.config.beta < 1.0, "beta", "in (0, 1)", vm);

  if (const std::string* m = find(vm, "method")) {
    if (*m == to_string(solve_method::numeric)) {
      inv.config.method = solve_method::numeric;
    } else if (*m == to_string(solve_method::closed_form)) {
      inv.config.method = solve_method::closed_form;
    } else if (*m == to_string(solve_method::both)) {
      inv.config.method = solve_method::both;
    } else {
      throw usage_error(solve_name,
                        cat({"--method must be numeric, closed-form or both (got '", *m, "')"}));
    }
  }
  // The rules above are the kernel's preconditions (kernels/params.hpp); this catches drift.
  if (validate(g) != cell_status::ok)
    throw usage_error(solve_name, "the game parameters are rejected by kernels/params.hpp validate()");
  return inv;
}

int run_cli(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  try {
    return dispatch(args, out, err);
  } catch (const usage_error& e) {
    err << e.what() << '\n';
    return exit_usage_error;
  } catch (const error& e) {
    err << e.what() << '\n';
    return exit_runtime_error;
  } catch (const std::exception& e) {
    // Not thrown on purpose (bad_alloc, a logic_error from a writer): still one line, exit 1.
    err << "ftg: internal error: " << e.what() << '\n';
    return exit_runtime_error;
  }
}

}  // namespace ftg
