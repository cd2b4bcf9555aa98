// 1,000 users imported at bcrypt cost 12, against the ideal of (1,000 x one hash / cores) with the
// hash time measured in the same run. Usage: bench_import [rows] [sqlite|postgresql]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "accounts/password_hasher.h"
#include "accounts/user_import.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "support/test_database.h"
#include "webhooks/outbox.h"

using namespace rosterd;
using Seconds = std::chrono::duration<double>;

namespace {
/// CPU seconds used by this process so far (all threads).
double cpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct HashTime {
    double wall;  ///< seconds per hash, wall clock
    double cpu;   ///< seconds per hash, CPU time of the hashing thread (unaffected by other processes)
};

double threadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

HashTime meanHashTime(const accounts::PasswordHasher& hasher, int samples) {
    auto start = std::chrono::steady_clock::now();
    double cpuStart = threadCpuSeconds();
    for (int i = 0; i < samples; ++i) (void)hasher.hash("benchmark password " + std::to_string(i));
    return {Seconds(std::chrono::steady_clock::now() - start).count() / samples,
            (threadCpuSeconds() - cpuStart) / samples};
}
}  // namespace

int main(int argc, char** argv) {
    const int rows = argc > 1 ? std::stoi(argv[1]) : 1000;
    const std::string driverName = argc > 2 ? argv[2] : "sqlite";
    const db::Driver driver = driverName == "postgresql" ? db::Driver::Postgres : db::Driver::Sqlite;
    const int cost = 12;
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());

    accounts::PasswordHasher hasher(cost);
    test::TestDatabase database(driver);
    SystemClock clock;
    webhooks::Outbox outbox(clock);
    Metrics metrics;
    accounts::ImportConfig config;
    accounts::HashPool pool(config.threads);
    accounts::UserImporter importer(database.store(), outbox, clock, hasher, 8, config, pool, metrics);

    std::string csv = "Name,Email,Password,Role\n";
    for (int i = 0; i < rows; ++i)
        csv += "Bench User " + std::to_string(i) + ",bench" + std::to_string(i) + "@example.com,password-" +
               std::to_string(i * 7919) + ",user\n";

    std::printf("bench_import: %d rows, bcrypt cost %d, %u cores, %zu hashing threads, %s store\n", rows, cost, cores,
                pool.threads(), driverName.c_str());
    HashTime before = meanHashTime(hasher, 8);
    std::printf("one hash (single thread, before): %.3f s wall, %.3f s CPU\n", before.wall, before.cpu);

    double cpuBefore = cpuSeconds();
    auto start = std::chrono::steady_clock::now();
    double lastPrint = 0;
    auto result = importer.run(csv, [&](const accounts::ImportProgress& p) {
        if (p.elapsedSeconds - lastPrint >= 10 || p.done == p.total) {
            lastPrint = p.elapsedSeconds;
            std::printf("  %zu/%zu rows, %.1f rows/s, ETA %.0f s\n", p.done, p.total, p.rowsPerSecond, p.etaSeconds);
            std::fflush(stdout);
        }
    });
    double importSeconds = Seconds(std::chrono::steady_clock::now() - start).count();
    double importCpu = cpuSeconds() - cpuBefore;

    HashTime after = meanHashTime(hasher, 8);
    std::printf("one hash (single thread, after):  %.3f s wall, %.3f s CPU\n", after.wall, after.cpu);
    double hash = (before.wall + after.wall) / 2;
    double hashCpu = (before.cpu + after.cpu) / 2;
    double ideal = rows * hash / cores;
    double ratio = importSeconds / ideal;
    std::printf("import: %zu created, %zu failed in %.2f s (%.1f rows/s)\n", result.created, result.failed,
                importSeconds, rows / importSeconds);
    // On a shared machine other processes take cores away; this shows how many the import really had.
    std::printf("cores actually used by the import: %.2f of %u (CPU %.1f s / wall %.1f s)\n", importCpu / importSeconds,
                cores, importCpu, importSeconds);
    std::printf("import CPU per row / one hash's CPU = %.3f (the import's own overhead, whatever the load)\n",
                importCpu / (rows * hashCpu));
    std::printf("ideal = %d x %.3f s / %u cores = %.2f s\n", rows, hash, cores, ideal);
    std::printf("ratio import/ideal = %.3f (goal <= 1.15): %s\n", ratio, ratio <= 1.15 ? "MET" : "NOT MET");
    return result.failed == 0 ? 0 : 1;
}
