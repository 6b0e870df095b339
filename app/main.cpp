// app/main.cpp: the ftg executable. All parsing, output and error handling is in engine/cli.hpp
// (run_cli, which is where exceptions are caught and turned into exit codes).
#include <iostream>
#include <string_view>
#include <vector>

#include "engine/cli.hpp"

int main(int argc, char* argv[]) {
  const std::vector<std::string_view> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  return ftg::run_cli(args, std::cout, std::cerr);
}
