// engine/sweep_commands.hpp: the `run`, `plan` and `validate` subcommands (see engine/cli.cpp).
#pragma once

#include <optional>
#include <ostream>
#include <span>
#include <string_view>

#include "engine/run.hpp"

namespace ftg {

/// The options of `ftg run ARGS` (validated; throws usage_error), or nullopt after printing
/// --help to `out`. The MPI launcher (app/ftg_mpi_main.cpp) reuses it.
std::optional<run_options> parse_run_command(std::span<const std::string_view> args, std::ostream& out);
int run_command(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);
int plan_command(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);
int validate_command(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

}  // namespace ftg
