// engine/progress.hpp: plain lines in batch logs, a bar on terminals, nothing when quiet.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "engine/progress.hpp"

using namespace std::chrono_literals;

TEST_CASE("progress: lines mode prints 'progress: done/total' lines ending with the final count") {
  std::ostringstream out;
  {
    ftg::progress_reporter p(out, false, 1000, ftg::progress_mode::automatic, 5ms);
    p.add(250);
    std::this_thread::sleep_for(20ms);
    p.add(750);
  }
  const std::string s = out.str();
  CHECK(s.find("progress: ") == 0);
  CHECK(s.find('\r') == std::string::npos);  // no bar control characters in a log
  CHECK(s.find("1000/1000 cells (100.0%)") != std::string::npos);
  CHECK(s.back() == '\n');
}

TEST_CASE("progress: a terminal gets a bar redrawn in place; none prints nothing") {
  std::ostringstream bar, quiet;
  {
    ftg::progress_reporter p(bar, true, 10, ftg::progress_mode::automatic, 5ms);
    p.add(10);
  }
  CHECK(bar.str().find("\r\033[K") != std::string::npos);
  {
    ftg::progress_reporter p(quiet, true, 10, ftg::progress_mode::none, 5ms);
    p.add(10);
    CHECK(p.line().find("10/10 cells") == 0);
  }
  CHECK(quiet.str().empty());
}
