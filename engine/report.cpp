#include "engine/report.hpp"

#include <cstdio>
#include <string_view>
#include <vector>

#include "engine/json_writer.hpp"
#include "engine/text_table.hpp"
#include "engine/version.hpp"

namespace ftg {

namespace {

std::string format_with(const char* fmt, double x) {
  char buf[64];
  const int n = std::snprintf(buf, sizeof buf, fmt, x);
  return std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
}

std::string format_diff(double x) { return format_with("%.3g", x); }

std::string yes_no(bool b) { return b ? "yes" : "no"; }

// One row per (solution, method); in `both` mode the closed form comes first and the numeric row
// carries the difference, so the two values to compare sit on adjacent lines.
void add_solution_row(text_table& table, solution s, const bargain_result& r,
                      const char* method_name, const std::string* diff) {
  std::vector<std::string> row;
  row.emplace_back(to_string(s));
  if (method_name != nullptr) row.emplace_back(method_name);
  row.push_back(format_number(r.delta));
  row.push_back(format_number(r.u_g));
  row.push_back(format_number(r.u_d));
  row.push_back(format_number(r.alpha0));
  row.push_back(format_number(r.alpha1));
  row.emplace_back(to_string(r.status));
  row.push_back(yes_no(r.in_pareto));
  row.push_back(yes_no(r.tie));
  row.push_back(yes_no(r.degenerate));
  if (diff != nullptr) row.push_back(*diff);
  table.add_row(std::move(row));
}

void write_pareto_json(json_writer& w, const pareto_set& set) {
  w.begin_object();
  w.key("status").string(to_string(set.status));
  w.key("unimodal").boolean(set.unimodal);
  w.key("intervals").begin_array(true);
  for (int i = 0; i < set.count && i < pareto_set::capacity; ++i) {
    const delta_interval& iv = set.intervals[static_cast<std::size_t>(i)];
    w.begin_object(true).key("lo").number(iv.lo).key("hi").number(iv.hi).end_object();
  }
  w.end_array();
  w.end_object();
}

void write_solution_json(json_writer& w, const game_solution& gs) {
  w.begin_object();
  w.key("solutions").begin_object();
  for (std::size_t i = 0; i < all_solutions.size(); ++i) {
    const bargain_result& r = gs.solutions[i];
    w.key(to_string(all_solutions[i])).begin_object();
    w.key("delta_star").number(r.delta);
    w.key("u_g").number(r.u_g);
    w.key("u_d").number(r.u_d);
    w.key("alpha0").number(r.alpha0);
    w.key("alpha1").number(r.alpha1);
    w.key("status").string(to_string(r.status));
    w.key("in_pareto").boolean(r.in_pareto);
    w.key("tie").boolean(r.tie);
    w.key("degenerate").boolean(r.degenerate);
    w.key("iterations").integer(r.iterations);
    w.end_object();
  }
  w.end_object();
  w.key("pareto");
  write_pareto_json(w, gs.pareto);
  w.end_object();
}

}  // namespace

std::string format_number(double x) { return format_with("%.10g", x); }

std::string format_pareto(const pareto_set& set) {
  if (is_failure(set.status)) return "none (" + std::string(to_string(set.status)) + ")";
  if (set.count == 0) return "disagreement";
  std::string s;
  for (int i = 0; i < set.count && i < pareto_set::capacity; ++i) {
    const delta_interval& iv = set.intervals[static_cast<std::size_t>(i)];
    if (i > 0) s += ", ";
    s += '[' + format_number(iv.lo) + ", " + format_number(iv.hi) + ']';
  }
  return s;
}

void write_solve_table(std::ostream& out, const solve_report& report) {
  const solve_config& c = report.config;
  const game_params& g = c.game;
  out << "game: c0=" << format_number(g.c0) << " c1=" << format_number(g.c1)
      << " k0=" << format_number(g.k0) << " k1=" << format_number(g.k1)
      << " d0=" << format_number(g.d0) << " d1=" << format_number(g.d1)
      << " beta=" << format_number(c.beta) << "  method: " << to_string(c.method) << "\n\n";

  const bool both = report.closed_form.has_value() && report.numeric.has_value();
  std::vector<std::string> header{"solution"};
  if (both) header.emplace_back("method");
  for (const char* h : {"delta*", "UG", "UD", "alpha0", "alpha1", "status", "in_pareto", "tie",
                        "degenerate"})
    header.emplace_back(h);
  if (both) header.emplace_back("max_abs_diff");
  text_table table(std::move(header));

  struct labelled {
    const char* label;
    const game_solution* result;
  };
  std::vector<labelled> shown;
  if (report.closed_form) shown.push_back({"closed-form", &*report.closed_form});
  if (report.numeric) shown.push_back({"numeric", &*report.numeric});

  if (both) {
    const solve_discrepancy d = compare(*report.closed_form, *report.numeric);
    const std::string none = "-";
    for (std::size_t i = 0; i < all_solutions.size(); ++i) {
      const std::string diff = format_diff(d.solutions[i]);
      add_solution_row(table, all_solutions[i], report.closed_form->solutions[i], "closed-form",
                       &none);
      add_solution_row(table, all_solutions[i], report.numeric->solutions[i], "numeric", &diff);
    }
    table.write(out);
    out << '\n';
    for (const labelled& l : shown)
      out << "Pareto set (" << l.label << "): " << format_pareto(l.result->pareto)
          << "  status=" << to_string(l.result->pareto.status)
          << " unimodal=" << yes_no(l.result->pareto.unimodal) << '\n';
    out << "max |closed-form - numeric|: " << format_diff(d.overall)
        << " (over every field of every solution and the Pareto ends; Pareto ends alone: "
        << format_diff(d.pareto) << ")\n";
    return;
  }

  const labelled& only = shown.front();
  for (std::size_t i = 0; i < all_solutions.size(); ++i)
    add_solution_row(table, all_solutions[i], only.result->solutions[i], nullptr, nullptr);
  table.write(out);
  out << '\n'
      << "Pareto set (" << only.label << "): " << format_pareto(only.result->pareto)
      << "  status=" << to_string(only.result->pareto.status)
      << " unimodal=" << yes_no(only.result->pareto.unimodal) << '\n';
}

void write_solve_json(std::ostream& out, const solve_report& report) {
  const solve_config& c = report.config;
  json_writer w(out);
  w.begin_object();
  w.key("schema").string("ftg-solve");
  w.key("schema_version").string(two_player_schema_version);
  w.key("ftg_version").string(version());
  w.key("params").begin_object(true);
  w.key("c0").number(c.game.c0);
  w.key("c1").number(c.game.c1);
  w.key("k0").number(c.game.k0);
  w.key("k1").number(c.game.k1);
  w.key("d0").number(c.game.d0);
  w.key("d1").number(c.game.d1);
  w.key("beta").number(c.beta);
  w.end_object();
  w.key("method").string(to_string(c.method));
  w.key("results").begin_object();
  if (report.closed_form) {
    w.key("closed_form");
    write_solution_json(w, *report.closed_form);
  }
  if (report.numeric) {
    w.key("numeric");
    write_solution_json(w, *report.numeric);
  }
  w.end_object();
  if (report.closed_form && report.numeric) {
    const solve_discrepancy d = compare(*report.closed_form, *report.numeric);
    w.key("max_abs_diff").begin_object();
    w.key("solutions").begin_object();
    for (std::size_t i = 0; i < all_solutions.size(); ++i)
      w.key(to_string(all_solutions[i])).number(d.solutions[i]);
    w.end_object();
    w.key("pareto").number(d.pareto);
    w.key("overall").number(d.overall);
    w.end_object();
  }
  w.key("failures").integer(count_failures(report));
  w.end_object();
  w.finish();
}

}  // namespace ftg
