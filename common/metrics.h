#pragma once
// A small Prometheus registry: counters, gauges and histograms with labels, rendered as text.
// Modules record into it; GET /metrics renders it.
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace rosterd {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Metrics {
public:
    /// Adds `by` to a counter.
    void inc(const std::string& name, const Labels& labels = {}, double by = 1);
    /// Sets a gauge.
    void set(const std::string& name, const Labels& labels, double value);
    /// Records one observation (seconds, by default buckets) in a histogram.
    void observe(const std::string& name, const Labels& labels, double value);
    /// Describes a metric (HELP and TYPE lines); type is counter, gauge or histogram.
    void describe(const std::string& name, const std::string& type, const std::string& help);
    /// Registers a callback run before each render (for gauges read on demand, e.g. pool usage).
    void onCollect(std::function<void(Metrics&)> fn);
    /// Current value of a counter or gauge (0 when absent); for tests and status output.
    double value(const std::string& name, const Labels& labels = {}) const;
    /// The Prometheus text exposition format.
    std::string render();

private:
    struct Histogram {
        std::vector<double> counts;
        double sum = 0;
        std::uint64_t count = 0;
    };
    static std::string key(const Labels& labels);
    mutable std::mutex mutex_;
    std::map<std::string, std::pair<std::string, std::string>> help_;  // name -> (type, help)
    std::map<std::string, std::map<std::string, double>> scalars_;     // name -> labels -> value
    std::map<std::string, std::map<std::string, Histogram>> histograms_;
    std::vector<std::function<void(Metrics&)>> collectors_;
};

}  // namespace rosterd
