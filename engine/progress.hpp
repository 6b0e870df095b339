// engine/progress.hpp: progress of a run on stderr, without flooding batch logs.
//
// A bar redrawn in place (\r + ESC[K) when the stream is a terminal; plain lines such as
// `progress: 8505/40000 cells (21.3%) elapsed=1.0s rate=8459/s eta=4s` every `interval` otherwise
// (ECOSYSTEM.md section 4, what users of sweep tools ask for); nothing with mode none (--quiet).
// Workers only add to an atomic counter; one reporter thread prints. The final summary line is
// printed by the caller.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

namespace ftg {

enum class progress_mode { automatic, bar, lines, none };

class progress_reporter {
 public:
  /// Starts the reporter thread (unless mode is none). automatic = bar on a terminal, else lines.
  progress_reporter(std::ostream& out, bool out_is_terminal, std::uint64_t total_cells, progress_mode mode,
                    std::chrono::milliseconds interval);
  ~progress_reporter();  ///< stops the thread and prints a last update
  progress_reporter(const progress_reporter&) = delete;
  progress_reporter& operator=(const progress_reporter&) = delete;

  void add(std::uint64_t cells) noexcept { done_.fetch_add(cells, std::memory_order_relaxed); }
  std::uint64_t done() const noexcept { return done_.load(std::memory_order_relaxed); }
  double elapsed_seconds() const;
  /// One line: cells, percentage, elapsed time, rate and ETA.
  std::string line() const;

 private:
  void loop();
  void print(bool final);

  std::ostream& out_;
  bool bar_ = false;
  std::uint64_t total_;
  std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<std::uint64_t> done_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool enabled_ = false;
  std::thread thread_;
};

}  // namespace ftg
