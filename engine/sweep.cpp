#include "engine/sweep.hpp"
#include "engine/text_file.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <system_error>

#include <boost/program_options.hpp>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include "engine/error.hpp"
#include "engine/values.hpp"

namespace po = boost::program_options;

namespace ftg {

std::string_view to_string(delta_field f) noexcept {
  switch (f) {
    case delta_field::alpha0: return "alpha0";
    case delta_field::alpha1: return "alpha1";
    case delta_field::u_g: return "u_g";
    case delta_field::u_d: return "u_d";
    case delta_field::in_pareto: return "in_pareto";
    case delta_field::alpha_i: return "alpha_i";
    case delta_field::u_i: return "u_i";
    case delta_field::regime: return "regime";
    case delta_field::participants: return "participants";
    case delta_field::total_performance: return "total_performance";
    case delta_field::table2: return "table2";
  }
  return "unknown";
}

std::string format_double(double x) {
  std::array<char, 64> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), x);
  return std::string(buf.data(), r.ptr);
}

std::uint64_t sweep_spec::cells() const noexcept {
  std::uint64_t n = 1;
  for (const sweep_axis& a : axes) n *= a.values.size();
  return n;
}

bool sweep_spec::has_delta_axis() const noexcept { return !axes.empty() && axes.back().name == "delta"; }

const sweep_axis* sweep_spec::find_axis(std::string_view axis_name) const noexcept {
  for (const sweep_axis& a : axes)
    if (a.name == axis_name) return &a;
  return nullptr;
}

namespace {

// Every key of a sweep file, in canonical order, with its section.
struct key_info {
  std::string_view key;  // "grid.c1"
  bool required;
  std::string_view fallback;  // default value text when not required
};

constexpr std::array<key_info, 33> all_keys{{
    {"sweep.name", true, ""},
    {"sweep.model", false, "two_player"},
    {"sweep.fields", false, ""},
    {"sweep.solutions", false, ""},
    {"sweep.method", false, "auto"},
    {"sweep.precision", false, "f64"},
    {"sweep.compression", false, "none"},
    {"grid.c0", true, ""},
    {"grid.c1", false, "1"},  // required in model two_player
    {"grid.k0", false, "2"},
    {"grid.k1", false, "2"},
    {"grid.d0", false, "0"},
    {"grid.d1", false, "0"},
    {"grid.beta", false, "0.5"},
    {"grid.f", false, "0"},
    {"grid.m", false, "0"},
    {"grid.s", false, "1"},
    {"grid.b", false, "1"},
    {"grid.n", false, "1"},
    {"grid.scale_c1", false, "1"},
    {"grid.scale_f", false, "1"},
    {"grid.scale_m", false, "1"},
    {"grid.scale_s", false, "1"},
    {"grid.delta", false, ""},  // optional, no default
    {"population.c1", false, ""},
    {"population.k1", false, ""},
    {"population.f", false, ""},
    {"population.m", false, ""},
    {"population.s", false, ""},
    {"population.b", false, ""},
    {"population.d1", false, ""},
    {"population.count", false, ""},
    {"run.tile_cells", false, "65536"},
}};
constexpr std::size_t key_count = all_keys.size();

std::string list_text(const std::vector<double>& v);

// The grid parameters of each model, in canonical order.
constexpr std::array<std::string_view, 8> two_player_params{"c0", "c1", "k0", "k1", "d0", "d1", "beta", "delta"};
constexpr std::array<std::string_view, 16> multi_params{"c0",       "k0",      "d0",      "c1",      "k1", "f",
                                                        "m",        "s",       "b",       "d1",      "n",  "scale_c1",
                                                        "scale_f",  "scale_m", "scale_s", "delta"};
// The per-class lists of [population], in canonical order (d1 is the class's d, count its size).
constexpr std::array<std::string_view, 8> population_keys{"c1", "k1", "f", "m", "s", "b", "d1", "count"};
constexpr int max_copies = 1'000'000;            // grid.n
constexpr long long max_specialists = 1'000'000'000;  // count x n per class

bool in_list(std::string_view x, std::span<const std::string_view> list) {
  return std::find(list.begin(), list.end(), x) != list.end();
}

std::string_view trim(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const std::size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::string known_keys_of(std::string_view section) {
  std::string out;
  for (std::size_t i = 0; i < key_count; ++i) {
    const std::string_view k = all_keys[i].key;
    if (!k.starts_with(section) || k[section.size()] != '.') continue;
    if (!out.empty()) out += ", ";
    out += k.substr(section.size() + 1);
  }
  return out;
}

bool is_known_key(std::string_view key) {
  for (std::size_t i = 0; i < key_count; ++i)
    if (all_keys[i].key == key) return true;
  return false;
}

// Where a key's value came from.
struct origin {
  int line = 0;          // > 0: the file line
  bool command_line = false;
};

class sweep_parser {
 public:
  sweep_parser(std::string_view text, const std::string& path, std::span<const std::string> overrides,
               std::string_view command)
      : text_(text), path_(path), overrides_(overrides), command_(command) {}

  sweep_spec run() {
    scan_file();
    scan_overrides();
    program_options();
    build();
    return std::move(spec_);
  }

 private:
  [[noreturn]] void fail_at(const origin& o, std::string_view key, std::string_view rule) const {
    std::string where;
    if (o.command_line) {
      where = "command line";
    } else {
      where = path_;
      if (o.line > 0) where += ':' + std::to_string(o.line);
    }
    std::string detail = where + ": ";
    if (!key.empty()) detail += std::string(key) + ": ";
    detail += rule;
    throw usage_error(command_, detail);
  }

  [[noreturn]] void fail_key(std::string_view key, std::string_view rule) const {
    fail_at(origin_of(key), key, rule);
  }

  origin origin_of(std::string_view key) const {
    const std::string k(key);
    if (override_values_.count(k) != 0) return origin{0, true};
    const auto it = file_lines_.find(k);
    if (it != file_lines_.end()) return origin{it->second, false};
    return origin{};
  }

  // The same line syntax as Program_options' config parser, to find every key's line.
  void scan_file() {
    std::string_view rest = text_;
    if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);
    std::string section;
    int line = 0;
    while (!rest.empty()) {
      const std::size_t nl = rest.find('\n');
      std::string_view raw = rest.substr(0, nl);
      rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
      ++line;
      const std::string_view body = trim(raw.substr(0, raw.find('#')));
      if (body.empty()) {
        normalized_ += '\n';
        continue;
      }
      const origin here{line, false};
      if (body.front() == '[') {
        if (body.back() != ']')
          fail_at(here, "", "malformed section header '" + std::string(body) +
                                "' (expected [sweep], [grid], [population] or [run])");
        section = std::string(trim(body.substr(1, body.size() - 2)));
        if (section != "sweep" && section != "grid" && section != "population" && section != "run")
          fail_at(here, "", "unknown section [" + section + "] (expected [sweep], [grid], [population] or [run])");
        section_lines_[section] = line;
        normalized_ += '[' + section + "]\n";
        continue;
      }
      const std::size_t eq = body.find('=');
      if (eq == std::string_view::npos)
        fail_at(here, "", "expected 'key = value', [section] or a comment (got '" + std::string(body) + "')");
      const std::string_view name = trim(body.substr(0, eq));
      if (name.empty()) fail_at(here, "", "expected 'key = value' (the key is missing before '=')");
      if (section.empty())
        fail_at(here, name, "key is outside a section (put it under [sweep], [grid], [population] or [run])");
      const std::string key = section + '.' + std::string(name);
      if (!is_known_key(key))
        fail_at(here, key, "unknown key in [" + section + "] (known keys: " + known_keys_of(section) + ")");
      const auto [it, fresh] = file_lines_.emplace(key, line);
      if (!fresh) fail_at(here, key, "key given more than once (first on line " + std::to_string(it->second) + ")");
      normalized_ += std::string(name) + " = " + std::string(trim(body.substr(eq + 1))) + '\n';
    }
  }

  void scan_overrides() {
    for (const std::string& raw : overrides_) {
      std::string_view s = raw;
      if (s.starts_with("--")) s.remove_prefix(2);
      const std::size_t eq = s.find('=');
      const origin cl{0, true};
      if (eq == std::string_view::npos)
        fail_at(cl, "", "override '" + raw + "' is not 'key=value' (e.g. grid.c1=linspace(1,2,3))");
      const std::string key(trim(s.substr(0, eq)));
      if (!is_known_key(key)) {
        const std::size_t dot = key.find('.');
        const std::string section = dot == std::string::npos ? std::string() : key.substr(0, dot);
        if (section == "sweep" || section == "grid" || section == "population" || section == "run")
          fail_at(cl, key, "unknown key in [" + section + "] (known keys: " + known_keys_of(section) + ")");
        fail_at(cl, key, "unknown key (keys are sweep.*, grid.*, population.* or run.*, e.g. grid.c1)");
      }
      if (override_values_.count(key) != 0) fail_at(cl, key, "override given more than once");
      override_values_[key] = std::string(trim(s.substr(eq + 1)));
      override_args_.push_back("--" + key + "=" + override_values_[key]);
    }
  }

  // Program_options does the parsing proper: overrides first (the first stored value wins), then
  // the file; unregistered keys are errors.
  void program_options() {
    // Built once per process (read-only afterwards, so parses in several threads may share it):
    // building it took about a tenth of a short run's fixed cost.
    static const po::options_description desc = [] {
      po::options_description d("sweep file");
      for (std::size_t i = 0; i < key_count; ++i)
        d.add_options()(std::string(all_keys[i].key).c_str(), po::value<std::string>());
      return d;
    }();
    po::variables_map vm;
    try {
      namespace st = po::command_line_style;
      po::store(po::command_line_parser(override_args_)
                    .options(desc)
                    .style(st::allow_long | st::long_allow_adjacent)
                    .run(),
                vm);
      // The scanned text, normalised (no byte order mark, CR, comments or spaces inside
      // section headers), so that Program_options reads exactly what the scan checked.
      std::istringstream in{normalized_};
      po::store(po::parse_config_file(in, desc, false), vm);
      po::notify(vm);
    } catch (const po::error& e) {
      // The line scan rejects everything Program_options would; this is a safety net.
      fail_at(origin{}, "", std::string("cannot parse: ") + e.what());
    }
    for (std::size_t i = 0; i < key_count; ++i) {
      const std::string key(all_keys[i].key);
      if (vm.count(key) != 0) values_[key] = vm[key].as<std::string>();
    }
  }

  std::optional<std::string> value_of(std::string_view key) const {
    const auto it = values_.find(std::string(key));
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }

  std::string value_or_default(std::string_view key) {
    if (auto v = value_of(key)) return *v;
    for (std::size_t i = 0; i < key_count; ++i) {
      if (all_keys[i].key != key) continue;
      if (all_keys[i].required) fail_key(key, "key is required");
      return std::string(all_keys[i].fallback);
    }
    return {};
  }

  // A comma-separated list of names; "" is an empty list.
  std::vector<std::string> names(std::string_view key, std::string_view text) const {
    std::vector<std::string> out;
    if (trim(text).empty()) return out;
    for (const std::string_view part : split_list(text)) {
      const std::string name(trim(part));
      if (name.empty()) fail_key(key, "empty entry in the list '" + std::string(text) + "'");
      if (std::find(out.begin(), out.end(), name) != out.end())
        fail_key(key, "'" + name + "' listed more than once");
      out.push_back(name);
    }
    return out;
  }

  void build() {
    spec_.path = path_;
    sweep_section();
    population_section();
    grid_section();
    run_section();
    consistency();
    resolve_text();
  }

  void sweep_section() {
    spec_.name = value_or_default("sweep.name");
    if (spec_.name.empty()) fail_key("sweep.name", "must not be empty");
    for (const char ch : spec_.name) {
      const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                      ch == '_' || ch == '-' || ch == '.';
      if (!ok)
        fail_key("sweep.name", "must use letters, digits, '_', '-' or '.' only (got '" + spec_.name + "')");
    }
    const std::string model = value_or_default("sweep.model");
    if (model == "two_player") {
      spec_.model = sweep_model::two_player;
    } else if (model == "multi") {
      spec_.model = sweep_model::multi;
    } else {
      fail_key("sweep.model", "must be two_player or multi (got '" + model + "')");
    }
    const bool multi = spec_.model == sweep_model::multi;

    constexpr std::array<delta_field, 5> two_player_fields{delta_field::alpha0, delta_field::alpha1, delta_field::u_g,
                                                           delta_field::u_d, delta_field::in_pareto};
    constexpr std::array<delta_field, 9> multi_fields{
        delta_field::alpha0,       delta_field::u_g,
        delta_field::alpha_i,      delta_field::u_i,
        delta_field::regime,       delta_field::table2,
        delta_field::participants, delta_field::total_performance,
        delta_field::in_pareto};
    const std::span<const delta_field> allowed =
        multi ? std::span<const delta_field>(multi_fields) : std::span<const delta_field>(two_player_fields);
    std::string known;
    for (const delta_field df : allowed) known += (known.empty() ? "" : ", ") + std::string(to_string(df));
    for (const std::string& f : names("sweep.fields", value_or_default("sweep.fields"))) {
      bool found = false;
      for (const delta_field df : allowed) {
        if (to_string(df) == f) {
          spec_.fields.push_back(df);
          found = true;
        }
      }
      if (!found) fail_key("sweep.fields", "unknown field '" + f + "' in model " + model + " (known: " + known + ")");
    }

    const std::vector<std::string> sols = names("sweep.solutions", value_or_default("sweep.solutions"));
    std::string known_sols = "all, pareto";
    if (multi) {
      for (const multi_solution sol : all_multi_solutions) known_sols += ", " + std::string(to_string(sol));
    } else {
      for (const solution sol : all_solutions) known_sols += ", " + std::string(to_string(sol));
    }
    const bool has_all = std::find(sols.begin(), sols.end(), "all") != sols.end();
    for (const std::string& s : sols) {
      if (s == "all") {
        if (multi)
          spec_.multi_solutions.assign(all_multi_solutions.begin(), all_multi_solutions.end());
        else
          spec_.solutions.assign(all_solutions.begin(), all_solutions.end());
        continue;
      }
      if (s == "pareto") {
        spec_.pareto_set = true;
        continue;
      }
      if (has_all) fail_key("sweep.solutions", "'all' may be combined with 'pareto' only (got '" + s + "')");
      bool found = false;
      if (multi) {
        for (const multi_solution sol : all_multi_solutions)
          if (to_string(sol) == s) {
            spec_.multi_solutions.push_back(sol);
            found = true;
          }
      } else {
        for (const solution sol : all_solutions)
          if (to_string(sol) == s) {
            spec_.solutions.push_back(sol);
            found = true;
          }
      }
      if (!found)
        fail_key("sweep.solutions", "unknown solution '" + s + "' in model " + model + " (known: " + known_sols + ")");
    }
    const std::string m = value_or_default("sweep.method");
    if (m == "auto") {
      spec_.solver = solve_choice::automatic;
    } else if (m == "numeric") {
      spec_.solver = solve_choice::numeric;
    } else if (m == "closed_form") {
      spec_.solver = solve_choice::closed_form;
    } else {
      fail_key("sweep.method", "must be auto, numeric or closed_form (got '" + m + "')");
    }
    const std::string p = value_or_default("sweep.precision");
    if (p == "f64") {
      spec_.precision = value_precision::f64;
    } else if (p == "f32") {
      spec_.precision = value_precision::f32;
    } else {
      fail_key("sweep.precision", "must be f64 or f32 (got '" + p + "')");
    }
    const std::string c = value_or_default("sweep.compression");
    if (c == "none") {
      spec_.compression = sweep_compression::none;
    } else if (c == "deflate") {
      spec_.compression = sweep_compression::deflate;
    } else {
      fail_key("sweep.compression", "must be none or deflate (got '" + c + "')");
    }
  }

  // The range rule of kernels/params.hpp for parameter `name`, or "".
  // The interval range_rule() enforces for a key, decided once per key so that a long axis is
  // checked with two comparisons per value (range_rule() then words the message).
  struct value_interval {
    double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
    bool lo_open = false, hi_open = false, integer = false, any = true;
    bool admits(double x) const noexcept {
      if (any) return true;
      return (lo_open ? x > lo : x >= lo) && (hi_open ? x < hi : x <= hi) && (!integer || x == std::trunc(x));
    }
  };
  static value_interval interval_of(std::string_view name) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    value_interval v;
    v.any = false;
    if (name == "c0" || name == "c1" || name == "s" || name.starts_with("scale_")) v.lo = 0.0, v.lo_open = true;
    else if (name == "k0" || name == "k1") v.lo = 1.0, v.lo_open = true;
    else if (name == "delta") v.lo = 0.0, v.hi = 1.0;
    else if (name == "beta") v.lo = 0.0, v.hi = 1.0, v.lo_open = v.hi_open = true;
    else if (name == "f" || name == "m") v.lo = 0.0;
    else if (name == "b") v.lo = 0.0, v.lo_open = true, v.hi = 1.0;
    else if (name == "n") v.lo = 1.0, v.hi = static_cast<double>(max_copies), v.integer = true;
    else v.any = true;
    if (!v.any && v.hi == inf) v.hi_open = false;  // x <= inf: every finite value, never NaN
    return v;
  }

  // The rule a value of key `name` breaks, worded from interval_of(name); empty if it breaks none.
  static std::string range_rule(std::string_view name, double x) {
    const value_interval v = interval_of(name);
    if (v.admits(x)) return {};
    auto num = [](double y) { return std::to_string(static_cast<long long>(y)); };  // 0, 1, max_copies
    std::string rule;
    if (v.integer) rule = "values must be integers in [" + num(v.lo) + ", " + num(v.hi) + "]";
    else if (v.hi == std::numeric_limits<double>::infinity()) rule = std::string("values must be ") + (v.lo_open ? "> " : ">= ") + num(v.lo);
    else rule = std::string("values must be in ") + (v.lo_open ? "(" : "[") + num(v.lo) + ", " + num(v.hi) + (v.hi_open ? ")" : "]");
    return rule + " (got " + format_double(x) + ")";
  }

  // [population]: per-class lists of the multi model (one value per class, or one for all).
  void population_section() {
    std::size_t classes = 1;
    std::string sized_by;
    std::array<std::vector<double>, population_keys.size()> lists;
    for (std::size_t k = 0; k < population_keys.size(); ++k) {
      const std::string key = "population." + std::string(population_keys[k]);
      const auto v = value_of(key);
      if (!v) continue;
      if (spec_.model != sweep_model::multi)
        fail_key(key, "[population] belongs to model multi (set sweep.model = multi)");
      std::vector<double>& list = lists[k];
      for (const std::string_view part : split_list(*v)) {
        const std::string_view t = trim(part);
        if (t.empty()) fail_key(key, "empty entry in the list '" + *v + "'");
        double x = 0.0;
        if (population_keys[k] == "count") {
          long long n = 0;
          const std::string rule = read_positive_int(t, max_specialists, n);
          if (!rule.empty()) fail_key(key, "values " + rule);
          x = static_cast<double>(n);
        } else {
          const std::string rule = read_number(t, x);
          if (!rule.empty()) fail_key(key, "values " + rule);
          const std::string range = range_rule(population_keys[k], x);
          if (!range.empty()) fail_key(key, range);
        }
        list.push_back(x);
      }
      if (list.size() > static_cast<std::size_t>(multi_game::max_classes))
        fail_key(key, "at most " + std::to_string(multi_game::max_classes) + " classes (got " +
                          std::to_string(list.size()) + " values)");
      if (list.size() > 1) {
        if (classes > 1 && list.size() != classes)
          fail_key(key, "has " + std::to_string(list.size()) + " values but " + sized_by + " has " +
                            std::to_string(classes) + " (give one value per class, or one for all)");
        classes = list.size();
        sized_by = key;
      }
      population_set_.push_back(std::string(population_keys[k]));
    }
    multi_game& g = spec_.population;
    g.classes = static_cast<int>(classes);
    for (std::size_t k = 0; k < population_keys.size(); ++k) {
      const std::vector<double>& list = lists[k];
      if (list.empty()) continue;
      for (std::size_t j = 0; j < classes; ++j) {
        const double x = list.size() == 1 ? list[0] : list[j];
        set_class_value(population_keys[k], x, g.sp[j]);
      }
      population_text_ += std::string(population_keys[k]) + " = " + list_text(list) + "\n";
    }
  }

  static void set_class_value(std::string_view name, double x, specialist& sp) {
    if (name == "c1") sp.c = x;
    if (name == "k1") sp.k = x;
    if (name == "f") sp.f = x;
    if (name == "m") sp.m = x;
    if (name == "s") sp.s = x;
    if (name == "b") sp.b = x;
    if (name == "d1") sp.d = x;
    if (name == "count") sp.count = static_cast<int>(x);
  }

  bool set_by_population(std::string_view name) const {
    return std::find(population_set_.begin(), population_set_.end(), name) != population_set_.end();
  }

  void grid_section() {
    // Grid keys in order: the file's order, then overrides not in the file, then defaults.
    const bool multi = spec_.model == sweep_model::multi;
    const std::span<const std::string_view> grid_params =
        multi ? std::span<const std::string_view>(multi_params) : std::span<const std::string_view>(two_player_params);
    std::string param_list;
    for (const std::string_view n : grid_params) param_list += (param_list.empty() ? "" : ", ") + std::string(n);
    for (std::size_t i = 0; i < key_count; ++i) {
      const std::string_view key = all_keys[i].key;
      if (!key.starts_with("grid.") || !value_of(key)) continue;
      const std::string_view name = key.substr(5);
      if (!in_list(name, grid_params))
        fail_key(key, "not a parameter of model " + std::string(multi ? "multi" : "two_player") + " (its parameters: " +
                          param_list + ")");
      if (multi && set_by_population(name))
        fail_key(key, "[population] sets " + std::string(name) + " per class" +
                          (name == "c1" || name == "f" || name == "m" || name == "s"
                               ? "; to sweep it, use grid.scale_" + std::string(name)
                               : "; remove it there to make it a grid value"));
    }
    if (!multi && !value_of("grid.c1")) fail_key("grid.c1", "key is required");
    std::vector<std::pair<int, std::string>> order;
    for (std::size_t i = 0; i < grid_params.size(); ++i) {
      if (multi && set_by_population(grid_params[i])) continue;
      const std::string key = "grid." + std::string(grid_params[i]);
      const auto it = file_lines_.find(key);
      int rank = 0;
      if (it != file_lines_.end()) {
        rank = it->second;
      } else {
        int pos = 0;
        for (const std::string& o : override_args_) {
          ++pos;
          if (o.starts_with("--" + key + "=")) rank = (1 << 24) + pos;  // after every file line (a 1 MiB file has fewer)
        }
        if (rank == 0) rank = (1 << 25) + static_cast<int>(i);
      }
      order.emplace_back(rank, std::string(grid_params[i]));
    }
    std::stable_sort(order.begin(), order.end());

    std::vector<sweep_axis> axes;
    std::vector<std::string> exprs;
    std::optional<sweep_axis> delta;
    std::string delta_expr;
    for (const auto& [rank, name] : order) {
      const std::string key = "grid." + name;
      std::string text;
      if (name == "delta") {
        const auto v = value_of(key);
        if (!v) continue;
        text = *v;
      } else {
        text = value_or_default(key);
      }
      sweep_axis axis;
      axis.name = name;
      std::string expr;
      bool is_axis = false;
      const std::string rule = parse_axis_expression(text, axis.values, expr, is_axis);
      if (!rule.empty()) fail_key(key, rule);
      const value_interval allowed = interval_of(name);
      for (const double x : axis.values)
        if (!allowed.admits(x)) fail_key(key, range_rule(name, x));
      const std::uint64_t limit = name == "delta" ? max_delta_values : max_axis_values;
      if (axis.values.size() > limit)
        fail_key(key, "an axis has at most " + std::to_string(limit) + " values (got " +
                          std::to_string(axis.values.size()) + ")");
      set_fixed(name, axis.values.front(), is_axis);
      if (name == "delta") {
        delta = std::move(axis);  // delta given at all is an axis, always the innermost
        delta_expr = std::move(expr);
      } else if (is_axis) {
        axes.push_back(std::move(axis));
        exprs.push_back(std::move(expr));
      }
    }
    if (delta) {
      axes.push_back(std::move(*delta));
      exprs.push_back(std::move(delta_expr));
    }
    spec_.axes = std::move(axes);
    spec_.axis_exprs = std::move(exprs);
    resolved_grid_order_.clear();
    for (const auto& [rank, name] : order)
      if (name != "delta") resolved_grid_order_.push_back(name);
    if (spec_.has_delta_axis()) resolved_grid_order_.push_back("delta");
  }

  // A parameter's value when it is not an axis, or an axis's first value (so that the fixed
  // point is a valid game); multiplicative axes (n, scale_*) leave the population alone.
  void set_fixed(std::string_view name, double x, bool is_axis) {
    if (spec_.model == sweep_model::multi) {
      multi_fixed_[std::string(name)] = x;
      multi_game& g = spec_.population;
      if (name == "c0") g.c0 = x;
      if (name == "k0") g.k0 = x;
      if (name == "d0") g.d0 = x;
      for (int j = 0; j < g.classes; ++j) {
        specialist& sp = g.sp[static_cast<std::size_t>(j)];
        set_class_value(name, x, sp);
        if (is_axis) continue;
        if (name == "n") {
          if (static_cast<double>(sp.count) * x > static_cast<double>(max_specialists))
            fail_key("grid.n", "a class would have more than " + std::to_string(max_specialists) +
                                   " specialists (count x n)");
          sp.count *= static_cast<int>(x);
        }
        if (name == "scale_c1") sp.c *= x;
        if (name == "scale_f") sp.f *= x;
        if (name == "scale_m") sp.m *= x;
        if (name == "scale_s") sp.s *= x;
      }
      return;
    }
    sweep_point& p = spec_.fixed;
    if (name == "c0") p.game.c0 = x;
    if (name == "c1") p.game.c1 = x;
    if (name == "k0") p.game.k0 = x;
    if (name == "k1") p.game.k1 = x;
    if (name == "d0") p.game.d0 = x;
    if (name == "d1") p.game.d1 = x;
    if (name == "beta") p.beta = x;
    if (name == "delta") p.delta = x;
  }

  void run_section() {
    const std::string text = value_or_default("run.tile_cells");
    long long n = 0;
    const std::string rule = read_positive_int(text, static_cast<long long>(max_tile_cells), n);
    if (!rule.empty()) fail_key("run.tile_cells", rule);
    spec_.tile_cells = static_cast<std::uint64_t>(n);
  }

  void consistency() {
    const bool per_delta = !spec_.fields.empty();
    const bool per_point = !spec_.solutions.empty() || !spec_.multi_solutions.empty() || spec_.pareto_set;
    if (per_delta && per_point) {
      fail_key("sweep.solutions",
               "a sweep computes either per-delta fields (over a delta axis) or per-point solutions "
               "(delta* per game, no delta axis), not both; use two sweep files");
    }
    if (!per_delta && !per_point)
      fail_key("sweep.fields", "the sweep requests nothing (give sweep.fields or sweep.solutions)");
    spec_.kind = per_delta ? sweep_kind::per_delta : sweep_kind::per_point;
    if (per_delta && !spec_.has_delta_axis())
      fail_key("sweep.fields", "per-delta fields need a delta axis (give grid.delta, e.g. linspace(0, 1, 201))");
    if (per_point && spec_.has_delta_axis())
      fail_key("grid.delta",
               "per-point solutions solve for delta*, so grid.delta must not be given");
    if (spec_.axes.empty())
      fail_key("grid.c1", "the grid has no axis (make at least one parameter a list, linspace or logspace; "
                          "for one game use ftg solve)");
    if (spec_.model == sweep_model::multi) {
      multi_consistency();
    } else if (spec_.solver == solve_choice::closed_form) {
      for (const char* k : {"k0", "k1"}) {
        const std::string key = std::string("grid.") + k;
        const sweep_axis* a = spec_.find_axis(k);
        const bool quadratic = a != nullptr ? std::all_of(a->values.begin(), a->values.end(),
                                                          [](double x) { return x == 2.0; })
                                            : (std::string_view(k) == "k0" ? spec_.fixed.game.k0 : spec_.fixed.game.k1) == 2.0;
        if (!quadratic) fail_key(key, "method closed_form needs k0 = k1 = 2 (quadratic costs) in every cell");
      }
    }
    // Total cells, without overflow.
    std::uint64_t cells = 1;
    std::string shape;
    bool over = false;
    for (const sweep_axis& a : spec_.axes) {
      const std::uint64_t n = a.values.size();
      if (cells > max_sweep_cells / n) over = true;
      if (!over) cells *= n;
      if (!shape.empty()) shape += " x ";
      shape += a.name + "[" + std::to_string(n) + "]";
    }
    if (over) {
      const auto it = section_lines_.find("grid");
      fail_at(origin{it == section_lines_.end() ? 0 : it->second, false}, "grid",
              "the grid " + shape + " has more than " + std::to_string(max_sweep_cells) + " cells (the limit)");
    }
  }

  void multi_consistency() {
    if (spec_.solver == solve_choice::closed_form) {
      // Table 1's closed forms: k0 = k1 = 2, f = m = 0, s = b = 1, d1 = 0 in every cell.
      const std::array<std::pair<std::string_view, double>, 7> need{
          {{"k0", 2.0}, {"k1", 2.0}, {"f", 0.0}, {"m", 0.0}, {"s", 1.0}, {"b", 1.0}, {"d1", 0.0}}};
      for (const auto& [name, value] : need) {
        const std::string key = (set_by_population(name) ? "population." : "grid.") + std::string(name);
        bool ok = true;
        if (const sweep_axis* a = spec_.find_axis(name)) {
          ok = std::all_of(a->values.begin(), a->values.end(), [v = value](double x) { return x == v; });
        } else {
          const multi_game& g = spec_.population;
          for (int j = 0; j < g.classes; ++j) {
            const specialist& sp = g.sp[static_cast<std::size_t>(j)];
            const double x = name == "k0" ? g.k0 : name == "k1" ? sp.k : name == "f" ? sp.f : name == "m" ? sp.m
                             : name == "s"  ? sp.s : name == "b" ? sp.b : sp.d;
            ok = ok && x == value;
          }
        }
        if (!ok)
          fail_key(key, "method closed_form needs k0 = k1 = 2, f = m = 0, s = b = 1 and d1 = 0 in every cell "
                        "(Table 1); use method auto or numeric");
      }
      if (const sweep_axis* a = spec_.find_axis("scale_s"))
        if (!std::all_of(a->values.begin(), a->values.end(), [](double x) { return x == 1.0; }))
          fail_key("grid.scale_s", "method closed_form needs s = 1 in every cell (Table 1)");
    }
    // Specialists per class: count x n must stay an int.
    double copies = multi_fixed_.count("n") != 0 ? multi_fixed_["n"] : 1.0;
    if (const sweep_axis* a = spec_.find_axis("n")) copies = *std::max_element(a->values.begin(), a->values.end());
    const multi_game& g = spec_.population;
    for (int j = 0; j < g.classes; ++j) {
      const double base = spec_.find_axis("n") != nullptr ? g.sp[static_cast<std::size_t>(j)].count
                                                           : g.sp[static_cast<std::size_t>(j)].count / copies;
      if (base * copies > static_cast<double>(max_specialists))
        fail_key(spec_.find_axis("n") != nullptr || multi_fixed_.count("n") ? "grid.n" : "population.count",
                 "a class would have more than " + std::to_string(max_specialists) + " specialists (count x n)");
    }
    if (validate(g) != cell_status::ok) fail_key("grid", "the population is not a valid game (kernels/multi.hpp)");
  }

  void resolve_text() {
    std::string t;
    t += "# resolved sweep (ftg): every key with its value; axes in order, delta innermost\n";
    t += "[sweep]\n";
    t += "name = " + spec_.name + "\n";
    const bool multi = spec_.model == sweep_model::multi;
    t += multi ? "model = multi\n" : "model = two_player\n";
    std::string fields;
    for (const delta_field f : spec_.fields) fields += (fields.empty() ? "" : ", ") + std::string(to_string(f));
    t += "fields = " + fields + "\n";
    std::string sols;
    for (const solution s : spec_.solutions) sols += (sols.empty() ? "" : ", ") + std::string(to_string(s));
    for (const multi_solution s : spec_.multi_solutions) sols += (sols.empty() ? "" : ", ") + std::string(to_string(s));
    if (spec_.pareto_set) sols += (sols.empty() ? "" : ", ") + std::string("pareto");
    t += "solutions = " + sols + "\n";
    t += std::string("method = ") +
         (spec_.solver == solve_choice::automatic ? "auto"
          : spec_.solver == solve_choice::numeric ? "numeric"
                                                  : "closed_form") +
         "\n";
    t += std::string("precision = ") + (spec_.precision == value_precision::f64 ? "f64" : "f32") + "\n";
    t += std::string("compression = ") + (spec_.compression == sweep_compression::none ? "none" : "deflate") + "\n";
    t += "[grid]\n";
    for (const std::string& name : resolved_grid_order_) {
      const sweep_axis* a = spec_.find_axis(name);
      std::string v;
      if (a != nullptr) {
        v = spec_.axis_exprs[static_cast<std::size_t>(a - spec_.axes.data())];
      } else if (multi) {
        v = format_double(multi_fixed_.at(name));
      } else {
        const sweep_point& p = spec_.fixed;
        const double x = name == "c0"   ? p.game.c0
                         : name == "c1" ? p.game.c1
                         : name == "k0" ? p.game.k0
                         : name == "k1" ? p.game.k1
                         : name == "d0" ? p.game.d0
                         : name == "d1" ? p.game.d1
                                        : p.beta;
        v = format_double(x);
      }
      t += name + " = " + v + "\n";
    }
    if (!population_text_.empty()) t += "[population]\n" + population_text_;
    t += "[run]\n";
    t += "tile_cells = " + std::to_string(spec_.tile_cells) + "\n";
    spec_.resolved_text = std::move(t);
  }

  std::string_view text_;
  std::string path_;
  std::span<const std::string> overrides_;
  std::string command_;
  std::map<std::string, int> file_lines_;
  std::string normalized_;
  std::map<std::string, int> section_lines_;
  std::map<std::string, std::string> override_values_;
  std::vector<std::string> override_args_;
  std::map<std::string, std::string> values_;
  std::vector<std::string> resolved_grid_order_;
  std::vector<std::string> population_set_;  // [population] keys given
  std::string population_text_;              // canonical [population] lines
  std::map<std::string, double> multi_fixed_;  // multi: each grid parameter's fixed (or first) value
  sweep_spec spec_;
};

// 10^x, exact for integer x in [-22, 22] (10^|x| is exact in a double, and 1/10^|x| is then
// correctly rounded), std::pow otherwise.
double exp10(double x) {
  if (x == std::trunc(x) && std::abs(x) <= 22.0) {
    double p = 1.0;
    for (int i = 0; i < static_cast<int>(std::abs(x)); ++i) p *= 10.0;
    return x < 0.0 ? 1.0 / p : p;
  }
  return std::pow(10.0, x);
}

std::string list_text(const std::vector<double>& v) {
  std::string out;
  for (const double x : v) out += (out.empty() ? "" : ", ") + format_double(x);
  return out;
}

}  // namespace

std::string parse_axis_expression(std::string_view text, std::vector<double>& values, std::string& canonical,
                                  bool& is_axis) {
  const std::string_view t = trim(text);
  values.clear();
  is_axis = false;
  const std::string expected =
      " (expected a number, a list 'a, b, c', linspace(a, b, n) or logspace(a, b, n))";
  if (t.empty()) return "is empty" + expected;
  const std::size_t paren = t.find('(');
  if (paren != std::string_view::npos) {
    const std::string_view fn = trim(t.substr(0, paren));
    if ((fn != "linspace" && fn != "logspace") || t.back() != ')')
      return "malformed axis expression '" + std::string(t) + "'" + expected;
    const std::vector<std::string_view> args = split_list(t.substr(paren + 1, t.size() - paren - 2));
    if (args.size() != 3)
      return std::string(fn) + " takes 3 arguments (a, b, n), got " + std::to_string(args.size()) + " in '" +
             std::string(t) + "'";
    double a = 0.0, b = 0.0;
    std::string rule = read_number(trim(args[0]), a);
    if (!rule.empty()) return std::string(fn) + " start " + rule;
    rule = read_number(trim(args[1]), b);
    if (!rule.empty()) return std::string(fn) + " stop " + rule;
    long long n = 0;
    rule = read_positive_int(trim(args[2]), static_cast<long long>(max_axis_values), n);
    if (!rule.empty()) return std::string(fn) + " count n " + rule;
    if (n == 1 && a != b)
      return std::string(fn) + "(a, b, 1) needs a == b (got '" + std::string(t) + "')";
    const auto count = static_cast<std::size_t>(n);
    values.resize(count);
    // Symmetric evaluation: both ends are exactly a and b.
    const double step = count > 1 ? (b - a) / static_cast<double>(count - 1) : 0.0;
    const bool log = fn == "logspace";
    auto fill = [&](std::size_t lo, std::size_t hi) {
      for (std::size_t i = lo; i < hi; ++i) {
        const std::size_t back = count - 1 - i;
        const double x = i == 0 ? a : back == 0 ? b : i <= back ? a + static_cast<double>(i) * step
                                                                : b - static_cast<double>(back) * step;
        values[i] = log ? exp10(x) : x;
      }
    };
    // A long logspace is 10-20 ns per value of exp10, serial before any tile starts (2.7 ms of a
    // 2e5-value axis; 0.25 ms of the 2e4 cost ratios of Figure 5, a tenth of that sweep): blocks in
    // parallel, each value computed exactly as alone (issue 6, target 7; the caller's
    // tbb::global_control bounds the threads). From 4096 values, where a block of 2048 is about
    // 25 us of work against a few us of scheduling.
    constexpr std::size_t parallel_from = 1u << 12, grain = 1u << 11;
    if (log && count >= parallel_from)
      oneapi::tbb::parallel_for(oneapi::tbb::blocked_range<std::size_t>(0, count, grain),
                                [&](const oneapi::tbb::blocked_range<std::size_t>& r) { fill(r.begin(), r.end()); });
    else
      fill(0, count);
    for (const double x : values)
      if (!std::isfinite(x)) {
        values.clear();
        return "values must be finite ('" + std::string(t) + "' gives " + format_double(x) + ")";
      }
    for (std::size_t i = 1; i < count; ++i)
      if (!(values[i] != values[i - 1])) {
        values.clear();
        return "values must be distinct ('" + std::string(t) + "' repeats " + format_double(values[i]) +
               " after rounding)";
      }
    canonical = std::string(fn) + "(" + format_double(a) + ", " + format_double(b) + ", " + std::to_string(n) + ")";
    is_axis = true;
    return {};
  }
  const std::vector<std::string_view> parts = split_list(t);
  for (const std::string_view part : parts) {
    const std::string_view p = trim(part);
    if (p.empty()) {
      values.clear();
      return "empty entry in the list '" + std::string(t) + "'";
    }
    double x = 0.0;
    const std::string rule = read_number(p, x);
    if (!rule.empty()) {
      values.clear();
      return parts.size() == 1 ? rule + expected : "list entry " + rule;
    }
    values.push_back(x);
  }
  if (values.size() > max_axis_values) return "a list has at most " + std::to_string(max_axis_values) + " values";
  if (values.size() > 1) {
    const bool up = values[1] > values[0];
    for (std::size_t i = 1; i < values.size(); ++i)
      if (up ? !(values[i] > values[i - 1]) : !(values[i] < values[i - 1])) {
        const std::string got = "'" + std::string(t) + "'";
        values.clear();
        return "list values must be strictly increasing or strictly decreasing (got " + got + ")";
      }
  }
  is_axis = parts.size() > 1;
  canonical = list_text(values);
  return {};
}

sweep_request to_request(const sweep_spec& spec) {
  sweep_request r;
  r.axes = spec.axes;
  r.fixed = spec.fixed.game;
  r.beta = spec.fixed.beta;
  for (const delta_field f : spec.fields) {
    if (f == delta_field::alpha0) r.alpha0 = true;
    if (f == delta_field::alpha1) r.alpha1 = true;
    if (f == delta_field::u_g) r.u_g = true;
    if (f == delta_field::u_d) r.u_d = true;
    if (f == delta_field::in_pareto) r.pareto = true;
    if (f == delta_field::alpha_i) r.alpha_i = true;
    if (f == delta_field::u_i) r.u_i = true;
    if (f == delta_field::regime) r.regime = true;
    if (f == delta_field::participants) r.participants = true;
    if (f == delta_field::total_performance) r.total_performance = true;
    if (f == delta_field::table2) r.table2 = true;
  }
  r.model = spec.model;
  r.population = spec.population;
  r.multi_solutions = spec.multi_solutions;
  r.pareto_set = spec.pareto_set;
  r.solutions = spec.solutions;
  r.method = spec.solver;
  return r;
}

sweep_point point_at(const sweep_spec& spec, std::span<const std::uint64_t> index) {
  sweep_point p = spec.fixed;
  for (std::size_t i = 0; i < spec.axes.size() && i < index.size(); ++i) {
    const sweep_axis& a = spec.axes[i];
    const double x = a.values[static_cast<std::size_t>(index[i])];
    const std::string_view n = a.name;
    if (n == "c0") p.game.c0 = x;
    if (n == "c1") p.game.c1 = x;
    if (n == "k0") p.game.k0 = x;
    if (n == "k1") p.game.k1 = x;
    if (n == "d0") p.game.d0 = x;
    if (n == "d1") p.game.d1 = x;
    if (n == "beta") p.beta = x;
    if (n == "delta") p.delta = x;
  }
  return p;
}

sweep_spec parse_sweep_text(std::string_view text, const std::string& path, std::span<const std::string> overrides,
                            std::string_view command) {
  return sweep_parser(text, path, overrides, command).run();
}

sweep_spec parse_sweep(const std::string& path, std::span<const std::string> overrides, std::string_view command) {
  auto cannot = [&](std::string_view why) {
    return usage_error(command, path + ": sweep file cannot be read (" + std::string(why) + ")");
  };
  std::string text;
  if (const std::string why = read_text_file(path, max_sweep_file_size, text); !why.empty()) throw cannot(why);
  return parse_sweep_text(text, path, overrides, command);
}

}  // namespace ftg
