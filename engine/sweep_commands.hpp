// engine/sweep_commands.hpp: the `run`, `plan` and `validate` subcommands (see engine/cli.cpp).
#pragma once

#include <ostream>
#include <span>
#include <string_view>

namespace ftg {

int run_command(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);
int plan_command(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);
int validate_command(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

}  // namespace ftg
