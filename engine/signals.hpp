// engine/signals.hpp: turning SIGINT, SIGTERM and SIGUSR1 into a stop request.
//
// Cluster schedulers send SIGTERM (or an early SIGUSR1 with `#SBATCH --signal=B:USR1@120`)
// before a time limit, then SIGKILL after a grace period (ECOSYSTEM.md 3a). The handlers only set
// a lock-free atomic flag; the executor (engine/executor.hpp) then starts no new tile, finishes
// the tiles in flight, the writer flushes, and `ftg run` exits with exit_resumable.
#pragma once

#include <atomic>

namespace ftg {

/// Exit code of a run that stopped early on a signal and can be continued with --resume
/// (sysexits.h EX_TEMPFAIL: "temporary failure, the user is invited to retry").
inline constexpr int exit_resumable = 75;

/// Installs the handlers (idempotent). The flag is process-wide: signals are.
void install_stop_handlers() noexcept;

/// The flag the handlers set; pass it to pipeline_options::stop.
const std::atomic<bool>& stop_requested() noexcept;

/// The signal that set the flag, 0 if none.
int stop_signal() noexcept;

/// Clears the flag (tests, or a second run in one process).
void clear_stop_request() noexcept;

}  // namespace ftg
