#pragma once
// Elapsed wall time for logs and metrics: how long a step took, never a decision (those use the
// injected Clock, so tests control them).
#include <chrono>

namespace rosterd {

class Stopwatch {
public:
    /// Seconds since construction or the last lap().
    double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
    /// Seconds since construction or the last lap(), and starts the next lap.
    double lap() {
        const auto now = Clock::now();
        const double s = std::chrono::duration<double>(now - start_).count();
        start_ = now;
        return s;
    }

private:
    using Clock = std::chrono::steady_clock;
    Clock::time_point start_ = Clock::now();
};

}  // namespace rosterd
