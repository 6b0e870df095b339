// engine/signals.hpp: SIGINT, SIGTERM and SIGUSR1 set the stop flag and record the signal.
#include <doctest/doctest.h>

#include <csignal>

#include "engine/signals.hpp"

TEST_CASE("SIGINT, SIGTERM and SIGUSR1 each request a stop and name themselves") {
  ftg::install_stop_handlers();
  for (int sig : {SIGINT, SIGTERM, SIGUSR1}) {
    ftg::clear_stop_request();
    CHECK_FALSE(ftg::stop_requested().load());
    REQUIRE(std::raise(sig) == 0);
    CHECK(ftg::stop_requested().load());
    CHECK(ftg::stop_signal() == sig);
  }
  ftg::clear_stop_request();
  CHECK(ftg::exit_resumable == 75);
}
