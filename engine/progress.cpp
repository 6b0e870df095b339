#include "engine/progress.hpp"

#include <cstdio>

namespace ftg {

progress_reporter::progress_reporter(std::ostream& out, bool out_is_terminal, std::uint64_t total_cells,
                                     progress_mode mode, std::chrono::milliseconds interval)
    : out_(out), total_(total_cells), interval_(interval), start_(std::chrono::steady_clock::now()) {
  if (mode == progress_mode::none) return;
  bar_ = mode == progress_mode::bar || (mode == progress_mode::automatic && out_is_terminal);
  enabled_ = true;
  thread_ = std::thread([this] { loop(); });
}

progress_reporter::~progress_reporter() {
  if (!enabled_) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  print(true);
}

double progress_reporter::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string progress_reporter::line() const {
  const std::uint64_t d = done();
  const double t = elapsed_seconds();
  const double rate = t > 0.0 ? static_cast<double>(d) / t : 0.0;
  const double pct = total_ > 0 ? 100.0 * static_cast<double>(d) / static_cast<double>(total_) : 100.0;
  char buf[256];
  if (rate > 0.0 && d < total_) {
    const double eta = static_cast<double>(total_ - d) / rate;
    std::snprintf(buf, sizeof buf, "%llu/%llu cells (%.1f%%) elapsed=%.1fs rate=%.4g/s eta=%.0fs",
                  static_cast<unsigned long long>(d), static_cast<unsigned long long>(total_), pct, t, rate, eta);
  } else {
    std::snprintf(buf, sizeof buf, "%llu/%llu cells (%.1f%%) elapsed=%.1fs rate=%.4g/s",
                  static_cast<unsigned long long>(d), static_cast<unsigned long long>(total_), pct, t, rate);
  }
  return buf;
}

void progress_reporter::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
    if (!stopping_) print(false);
  }
}

void progress_reporter::print(bool final) {
  if (bar_) {
    out_ << "\r\033[Kprogress: " << line();
    if (final) out_ << '\n';
  } else {
    out_ << "progress: " << line() << '\n';
  }
  out_.flush();
}

}  // namespace ftg
