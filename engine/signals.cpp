#include "engine/signals.hpp"

#include <csignal>

namespace ftg {
namespace {

// Process-wide by nature; std::atomic<bool>/<int> are lock-free here (static_assert below), which
// makes them safe to store to from a signal handler.
std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free);

extern "C" void on_stop_signal(int sig) {
  g_signal.store(sig, std::memory_order_relaxed);
  g_stop.store(true, std::memory_order_relaxed);
}

}  // namespace

void install_stop_handlers() noexcept {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (int sig : {SIGINT, SIGTERM, SIGUSR1}) sigaction(sig, &sa, nullptr);
}

const std::atomic<bool>& stop_requested() noexcept { return g_stop; }

int stop_signal() noexcept { return g_signal.load(std::memory_order_relaxed); }

void clear_stop_request() noexcept {
  g_stop.store(false, std::memory_order_relaxed);
  g_signal.store(0, std::memory_order_relaxed);
}

}  // namespace ftg
