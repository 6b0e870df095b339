// The n-specialist output of `ftg solve` (declared in engine/report.hpp; fields in docs/cli.md).
#include <string>
#include <vector>

#include "engine/json_writer.hpp"
#include "engine/report.hpp"
#include "engine/text_table.hpp"
#include "engine/values.hpp"
#include "engine/version.hpp"

namespace ftg {

namespace {

std::string yes_no(bool b) { return b ? "yes" : "no"; }

std::string class_id(int j) { return "D" + std::to_string(j + 1); }

std::string format_intervals(const std::array<delta_interval, multi_pareto_set::capacity>& ivs, int count) {
  std::string s;
  for (int i = 0; i < count && i < multi_pareto_set::capacity; ++i) {
    const delta_interval& iv = ivs[static_cast<std::size_t>(i)];
    if (i > 0) s += ", ";
    s += '[' + format_number(iv.lo) + ", " + format_number(iv.hi) + ']';
  }
  return s;
}

void write_intervals_json(json_writer& w, const std::array<delta_interval, multi_pareto_set::capacity>& ivs,
                          int count) {
  w.begin_array(true);
  for (int i = 0; i < count && i < multi_pareto_set::capacity; ++i) {
    const delta_interval& iv = ivs[static_cast<std::size_t>(i)];
    w.begin_object(true).key("lo").number(iv.lo).key("hi").number(iv.hi).end_object();
  }
  w.end_array();
}

double field_value(const specialist& sp, specialist_field f) {
  switch (f) {
    case specialist_field::c: return sp.c;
    case specialist_field::k: return sp.k;
    case specialist_field::f: return sp.f;
    case specialist_field::m: return sp.m;
    case specialist_field::s: return sp.s;
    case specialist_field::b: return sp.b;
    case specialist_field::d: return sp.d;
  }
  return 0.0;
}

const std::string& name_of(const multi_solve_config& c, int j) {
  static const std::string none;
  const auto k = static_cast<std::size_t>(j);
  return k < c.names.size() ? c.names[k] : none;
}

void write_solution_json(json_writer& w, const multi_game& g, const multi_bargain_result& r) {
  const reported_outcome o = report_outcome(g, r);
  w.begin_object();
  w.key("delta_star").number(o.delta);
  w.key("u_g").number(o.u_g);
  w.key("alpha0").number(o.alpha0);
  w.key("total_performance").number(o.total_performance);
  w.key("status").string(to_string(r.status));
  w.key("in_pareto").boolean(r.in_pareto);
  w.key("tie").boolean(r.tie);
  w.key("degenerate").boolean(r.degenerate);
  w.key("specialists").begin_array();
  for (int j = 0; j < g.classes; ++j) {
    const reported_player& p = o.players[static_cast<std::size_t>(j)];
    w.begin_object(true);
    w.key("class").integer(j + 1);
    w.key("count").integer(g.sp[static_cast<std::size_t>(j)].count);
    w.key("alpha").number(p.alpha);
    w.key("u").number(p.u);
    w.key("regime");
    if (p.has_regime) {
      w.string(to_string(p.reg));
    } else {
      w.null();
    }
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

}  // namespace

std::string format_pareto(const multi_pareto_set& set, bool theorem51) {
  if (is_failure(set.status)) return "none (" + std::string(to_string(set.status)) + ")";
  if (theorem51) return set.theorem51_count == 0 ? "empty" : format_intervals(set.theorem51, set.theorem51_count);
  return set.count == 0 ? "disagreement" : format_intervals(set.intervals, set.count);
}

std::string table_label(const multi_named_result& r) {
  std::string s = r.name;
  if (r.target_class >= 0) s += '(' + class_id(r.target_class) + ')';
  return s;
}

void write_multi_table(std::ostream& out, const multi_solve_report& report) {
  const multi_game& g = report.config.game;
  out << "game: n=" << g.n() << " specialists in " << g.classes
      << (g.classes == 1 ? " class" : " classes") << "  c0=" << format_number(g.c0)
      << " k0=" << format_number(g.k0) << " d0=" << format_number(g.d0) << "  method: numeric\n\n";

  text_table classes({"class", "name", "count", "c", "k", "f", "m", "s", "b", "d"});
  for (int j = 0; j < g.classes; ++j) {
    const specialist& sp = g.sp[static_cast<std::size_t>(j)];
    const std::string& name = name_of(report.config, j);
    std::vector<std::string> row{class_id(j), name.empty() ? "-" : name, std::to_string(sp.count)};
    for (int i = 0; i < specialist_field_count; ++i)
      row.push_back(format_number(field_value(sp, static_cast<specialist_field>(i))));
    classes.add_row(std::move(row));
  }
  classes.write(out);
  out << '\n';

  text_table table({"solution", "player", "count", "delta*", "utility", "alpha", "total_performance",
                    "regime", "status", "in_pareto", "tie", "degenerate"});
  const std::string dash = "-";
  for (const multi_named_result& nr : named_results(report)) {
    const multi_bargain_result& r = *nr.result;
    const reported_outcome o = report_outcome(g, r);
    const std::string label = table_label(nr);
    table.add_row({label, "G", dash, format_number(o.delta), format_number(o.u_g),
                   format_number(o.alpha0), format_number(o.total_performance), dash,
                   std::string(to_string(r.status)), yes_no(r.in_pareto), yes_no(r.tie),
                   yes_no(r.degenerate)});
    for (int j = 0; j < g.classes; ++j) {
      const reported_player& p = o.players[static_cast<std::size_t>(j)];
      table.add_row({label, class_id(j), std::to_string(g.sp[static_cast<std::size_t>(j)].count), dash,
                     format_number(p.u), format_number(p.alpha), dash,
                     p.has_regime ? std::string(to_string(p.reg)) : dash, dash, dash, dash, dash});
    }
  }
  table.write(out);

  const multi_pareto_set& ps = report.numeric.pareto;
  out << '\n'
      << "Pareto set (numeric): " << format_pareto(ps, false) << "  status=" << to_string(ps.status)
      << '\n'
      << "Theorem 5.1 local rule: " << format_pareto(ps, true) << "  differs=" << yes_no(ps.differs)
      << '\n';
}

void write_multi_json(std::ostream& out, const multi_solve_report& report) {
  const multi_game& g = report.config.game;
  json_writer w(out);
  w.begin_object();
  w.key("schema").string("ftg-solve");
  w.key("schema_version").string(multi_schema_version);
  w.key("ftg_version").string(version());
  w.key("mode").string("multi");

  w.key("params").begin_object();
  w.key("generalist").begin_object(true);
  w.key("c0").number(g.c0);
  w.key("k0").number(g.k0);
  w.key("d0").number(g.d0);
  w.end_object();
  w.key("n").integer(g.n());
  w.key("specialists").begin_array();
  for (int j = 0; j < g.classes; ++j) {
    const specialist& sp = g.sp[static_cast<std::size_t>(j)];
    w.begin_object(true);
    w.key("class").integer(j + 1);
    w.key("name");
    const std::string& name = name_of(report.config, j);
    if (name.empty()) {
      w.null();
    } else {
      w.string(name);
    }
    w.key("count").integer(sp.count);
    for (int i = 0; i < specialist_field_count; ++i) {
      const auto f = static_cast<specialist_field>(i);
      w.key(field_name(f)).number(field_value(sp, f));
    }
    w.end_object();
  }
  w.end_array();
  w.end_object();

  w.key("method").string("numeric");
  w.key("results").begin_object();
  w.key("numeric").begin_object();
  w.key("solutions").begin_object();
  bool in_powerful_d = false;
  for (const multi_named_result& nr : named_results(report)) {
    if (nr.target_class >= 0 && !in_powerful_d) {
      w.key("powerful_d").begin_array();
      in_powerful_d = true;
    } else if (nr.target_class < 0 && in_powerful_d) {
      w.end_array();
      in_powerful_d = false;
    }
    if (nr.target_class < 0) w.key(nr.name);
    write_solution_json(w, g, *nr.result);
  }
  if (in_powerful_d) w.end_array();
  w.end_object();

  const multi_pareto_set& ps = report.numeric.pareto;
  w.key("pareto").begin_object();
  w.key("status").string(to_string(ps.status));
  w.key("intervals");
  write_intervals_json(w, ps.intervals, ps.count);
  w.key("theorem51_intervals");
  write_intervals_json(w, ps.theorem51, ps.theorem51_count);
  w.key("differs").boolean(ps.differs);
  w.end_object();
  w.end_object();  // numeric
  w.end_object();  // results
  w.key("failures").integer(count_failures(report));
  w.end_object();
  w.finish();
}

}  // namespace ftg
