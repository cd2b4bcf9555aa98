#include "common/metrics.h"

#include <cmath>
#include <sstream>

namespace rosterd {
namespace {
const std::vector<double> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

std::string escapeLabel(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out.push_back('\\');
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out.push_back(c);
    }
    return out;
}

std::string number(double v) {
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    std::ostringstream s;
    s.precision(15);
    s << v;
    return s.str();
}
}  // namespace

std::string Metrics::key(const Labels& labels) {
    std::string k;
    for (const auto& [n, v] : labels) k += (k.empty() ? "" : ",") + n + "=\"" + escapeLabel(v) + "\"";
    return k;
}

void Metrics::inc(const std::string& name, const Labels& labels, double by) {
    std::lock_guard lock(mutex_);
    scalars_[name][key(labels)] += by;
}

void Metrics::set(const std::string& name, const Labels& labels, double value) {
    std::lock_guard lock(mutex_);
    scalars_[name][key(labels)] = value;
}

void Metrics::observe(const std::string& name, const Labels& labels, double value) {
    std::lock_guard lock(mutex_);
    Histogram& h = histograms_[name][key(labels)];
    if (h.counts.empty()) h.counts.assign(kBuckets.size(), 0);
    for (std::size_t i = 0; i < kBuckets.size(); ++i)
        if (value <= kBuckets[i]) h.counts[i] += 1;
    h.sum += value;
    h.count += 1;
}

void Metrics::describe(const std::string& name, const std::string& type, const std::string& help) {
    std::lock_guard lock(mutex_);
    help_[name] = {type, help};
}

void Metrics::onCollect(std::function<void(Metrics&)> fn) {
    std::lock_guard lock(mutex_);
    collectors_.push_back(std::move(fn));
}

double Metrics::value(const std::string& name, const Labels& labels) const {
    std::lock_guard lock(mutex_);
    auto it = scalars_.find(name);
    if (it == scalars_.end()) return 0;
    auto v = it->second.find(key(labels));
    return v == it->second.end() ? 0 : v->second;
}

std::string Metrics::render() {
    std::vector<std::function<void(Metrics&)>> collectors;
    {
        std::lock_guard lock(mutex_);
        collectors = collectors_;
    }
    for (auto& c : collectors) c(*this);
    std::lock_guard lock(mutex_);
    std::ostringstream out;
    auto header = [&](const std::string& name, const char* fallbackType) {
        auto h = help_.find(name);
        if (h != help_.end()) {
            out << "# HELP " << name << " " << h->second.second << "\n";
            out << "# TYPE " << name << " " << h->second.first << "\n";
        } else {
            out << "# TYPE " << name << " " << fallbackType << "\n";
        }
    };
    for (const auto& [name, series] : scalars_) {
        header(name, "untyped");
        for (const auto& [labels, v] : series)
            out << name << (labels.empty() ? "" : "{" + labels + "}") << " " << number(v) << "\n";
    }
    for (const auto& [name, series] : histograms_) {
        header(name, "histogram");
        for (const auto& [labels, h] : series) {
            std::string sep = labels.empty() ? "" : ",";
            for (std::size_t i = 0; i < kBuckets.size(); ++i)
                out << name << "_bucket{" << labels << sep << "le=\"" << number(kBuckets[i]) << "\"} " << h.counts[i]
                    << "\n";
            out << name << "_bucket{" << labels << sep << "le=\"+Inf\"} " << h.count << "\n";
            out << name << "_sum" << (labels.empty() ? "" : "{" + labels + "}") << " " << number(h.sum) << "\n";
            out << name << "_count" << (labels.empty() ? "" : "{" + labels + "}") << " " << h.count << "\n";
        }
    }
    return out.str();
}

}  // namespace rosterd
