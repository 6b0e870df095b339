#include "engine/multi_args.hpp"

#include <climits>
#include <cstddef>
#include <string_view>
#include <vector>

#include "engine/error.hpp"
#include "engine/game_file.hpp"

namespace ftg {

namespace {

constexpr std::string_view command = "solve";
constexpr auto max_classes = static_cast<std::size_t>(multi_game::max_classes);

[[noreturn]] void usage(const std::string& detail) { throw usage_error(command, detail); }

std::string option(std::string_view name) { return "--" + std::string(name); }

// "--f" for a single value (it applies to every class), "--f[2]" for the second of several.
std::string element(std::string_view name, std::size_t i, std::size_t size) {
  std::string s = option(name);
  if (size > 1) s += '[' + std::to_string(i + 1) + ']';
  return s;
}

std::vector<std::string_view> split_checked(std::string_view name, const std::string& text) {
  std::vector<std::string_view> parts = split_list(text);
  if (parts.size() > max_classes)
    usage(option(name) + " has " + std::to_string(parts.size()) + " values; a game has at most " +
          std::to_string(max_classes) + " specialist classes");
  return parts;
}

std::vector<double> number_list(specialist_field f, const std::string& text) {
  const std::string_view name = field_name(f);
  const std::vector<std::string_view> parts = split_checked(name, text);
  std::vector<double> values(parts.size(), 0.0);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string rule = read_number(parts[i], values[i]);
    if (rule.empty()) rule = specialist_rule(f, values[i], parts[i]);
    if (!rule.empty()) usage(element(name, i, parts.size()) + ' ' + rule);
  }
  return values;
}

std::vector<long long> count_list(const std::string& text) {
  const std::vector<std::string_view> parts = split_checked("count", text);
  std::vector<long long> values(parts.size(), 0);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string rule = read_positive_int(parts[i], INT_MAX, values[i]);
    if (!rule.empty()) usage(element("count", i, parts.size()) + ' ' + rule);
  }
  return values;
}

double generalist_value(const std::optional<std::string>& cli,
                        const std::optional<file_value<double>>& from_file, std::string_view name,
                        double fallback) {
  if (!cli) return from_file ? from_file->value : fallback;
  double x = 0.0;
  std::string rule = read_number(*cli, x);
  if (rule.empty() && name == "c0" && !(x > 0.0)) rule = "must be > 0 (got " + *cli + ")";
  if (rule.empty() && name == "k0" && !(x > 1.0)) rule = "must be > 1 (got " + *cli + ")";
  if (!rule.empty()) usage(option(name) + ' ' + rule);
  return x;
}

std::string class_label(const game_file_class& c) {
  return c.name.empty() ? "[specialist]" : "[specialist." + c.name + "]";
}

}  // namespace

multi_solve_config build_multi_config(const multi_arguments& args) {
  std::optional<game_file> file;
  if (args.game_file) file = read_game_file(*args.game_file);
  const game_file empty_file;
  const game_file& gf = file ? *file : empty_file;

  multi_solve_config config;
  multi_game& g = config.game;
  if (!args.c0 && !gf.c0) {
    if (file) usage("--c0 is required (or c0 in the [generalist] section of " + gf.path + ")");
    usage("--c0 is required");
  }
  g.c0 = generalist_value(args.c0, gf.c0, "c0", 1.0);
  g.k0 = generalist_value(args.k0, gf.k0, "k0", 2.0);
  g.d0 = generalist_value(args.d0, gf.d0, "d0", 0.0);

  // Command-line lists, checked element by element.
  std::array<std::vector<double>, specialist_field_count> lists{};
  for (int i = 0; i < specialist_field_count; ++i) {
    const auto& text = args.lists[static_cast<std::size_t>(i)];
    if (text) lists[static_cast<std::size_t>(i)] = number_list(static_cast<specialist_field>(i), *text);
  }
  std::vector<long long> counts;
  if (args.count) counts = count_list(*args.count);
  long long n = 0;
  if (args.n) {
    const std::string rule = read_positive_int(*args.n, INT_MAX, n);
    if (!rule.empty()) usage("--n " + rule);
  }

  // The number of classes: the file's sections, or else the longest list.
  std::size_t from_lists = 0;
  std::string first_list;
  auto take_length = [&](std::string_view name, std::size_t size) {
    if (size <= 1) return;
    if (from_lists == 0) {
      from_lists = size;
      first_list = option(name);
    } else if (size != from_lists) {
      usage(option(name) + " has " + std::to_string(size) + " values but " + first_list + " has " +
            std::to_string(from_lists) + " (give one value per specialist class, or one for all)");
    }
  };
  for (int i = 0; i < specialist_field_count; ++i)
    take_length(field_name(static_cast<specialist_field>(i)), lists[static_cast<std::size_t>(i)].size());
  take_length("count", counts.size());
  const std::size_t from_file = gf.classes.size();
  if (from_file > 0 && from_lists > 0 && from_lists != from_file)
    usage(first_list + " has " + std::to_string(from_lists) + " values but " + gf.path + " has " +
          std::to_string(from_file) + (from_file == 1 ? " [specialist] section" : " [specialist] sections") +
          " (give one value per section, or one for all)");
  const std::size_t classes = from_file > 0 ? from_file : (from_lists > 0 ? from_lists : 1);
  g.classes = static_cast<int>(classes);

  const bool count_in_file = [&] {
    for (const game_file_class& c : gf.classes)
      if (c.count) return true;
    return false;
  }();
  long long total = 0;
  for (std::size_t j = 0; j < classes; ++j) {
    specialist& sp = g.sp[j];
    const game_file_class* fc = from_file > 0 ? &gf.classes[j] : nullptr;
    for (int i = 0; i < specialist_field_count; ++i) {
      const auto fi = static_cast<std::size_t>(i);
      double value = 0.0;
      if (!lists[fi].empty()) {
        value = lists[fi][lists[fi].size() == 1 ? 0 : j];
      } else if (fc != nullptr && fc->values[fi]) {
        value = fc->values[fi]->value;
      } else {
        const auto f = static_cast<specialist_field>(i);
        if (f != specialist_field::c) continue;  // the kernel's default
        if (fc != nullptr)
          usage(gf.path + ':' + std::to_string(fc->line) + ": " + class_label(*fc) +
                " has no key 'c' (the cost scale is required here or in --c)");
        usage("--c is required (the specialists' cost scale: one value per class, or one for all)");
      }
      switch (static_cast<specialist_field>(i)) {
        case specialist_field::c: sp.c = value; break;
        case specialist_field::k: sp.k = value; break;
        case specialist_field::f: sp.f = value; break;
        case specialist_field::m: sp.m = value; break;
        case specialist_field::s: sp.s = value; break;
        case specialist_field::b: sp.b = value; break;
        case specialist_field::d: sp.d = value; break;
      }
    }
    long long count = 1;
    if (!counts.empty()) {
      count = counts[counts.size() == 1 ? 0 : j];
    } else if (fc != nullptr && fc->count) {
      count = fc->count->value;
    } else if (!count_in_file && classes == 1 && args.n) {
      count = n;  // --n N alone: N identical specialists
    }
    sp.count = static_cast<int>(count);
    total += count;
    config.names.push_back(fc != nullptr ? fc->name : std::string{});
  }
  if (total > INT_MAX)
    usage("the specialist counts sum to " + std::to_string(total) + ", more than " + std::to_string(INT_MAX));
  if (args.n && n != total) {
    const std::string head = "--n " + *args.n + " does not match ";
    if (!counts.empty()) usage(head + "the sum of --count (" + std::to_string(total) + ")");
    if (count_in_file) usage(head + "the sum of the counts in " + gf.path + " (" + std::to_string(total) + ")");
    usage(head + "the " + std::to_string(classes) + " specialist classes of count 1 (give --count)");
  }
  // The rules above are the kernel's preconditions (kernels/multi.hpp); this catches drift.
  if (validate(g) != cell_status::ok)
    usage("the game parameters are rejected by kernels/multi.hpp validate()");
  return config;
}

}  // namespace ftg
