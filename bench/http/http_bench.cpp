// Serving under misbehaving clients: /healthz latency and 8 clients' password sign-in throughput
// on a quiet server, then again while 1,000 idle keep-alive connections and 200 slow-header
// connections are open; then whether keep-alive clients requesting back to back are served
// fairly under the same load. Prints the figures, their ratios and whether the goals hold:
// /healthz p99 < 50 ms, throughput >= 0.9x quiet, no keep-alive client waits > 1 s.
// Loopback only; bcrypt at cost 4 so the figure is serving, not hashing.
//
//   bench_http [--seconds 3] [--idle 1000] [--slow 200] [--fair 200]
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "support/raw_connection.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;
using Steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

int argInt(int argc, char** argv, const char* name, int def) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0) return std::atoi(argv[i + 1]);
    return def;
}

double ms(Steady::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

struct Latency {
    double p50 = 0, p99 = 0, max = 0;
    int failed = 0;
};

/// `count` GET /healthz, each on a new connection as a health checker makes them.
Latency healthz(int port, int count) {
    std::vector<double> samples;
    Latency l;
    for (int i = 0; i < count; ++i) {
        auto started = Steady::now();
        try {
            RawConnection c(port);
            c.send(getRequest("/healthz", true));
            auto r = c.readResponse(5s);
            if (!r || r->status != 200) ++l.failed;
        } catch (const std::exception&) {
            ++l.failed;
        }
        samples.push_back(ms(Steady::now() - started));
    }
    std::sort(samples.begin(), samples.end());
    l.p50 = samples[samples.size() / 2];
    l.p99 = samples[samples.size() * 99 / 100];
    l.max = samples.back();
    return l;
}

std::string signinRequest(const std::string& body) {
    return "POST /api/v1/auths/signin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
           "application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

/// Sign-ins per second by `clients` keep-alive clients over `seconds`.
double signins(int port, int clients, int seconds) {
    std::string req = signinRequest(R"({"email":"bench@example.com","password":"correct horse"})");
    std::atomic<long> ok{0}, failed{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < clients; ++i)
        threads.emplace_back([&] {
            RawConnection c(port);
            while (!stop) {
                if (!c.send(req)) break;
                auto r = c.readResponse(10s);
                if (!r) break;
                (r->status == 200 ? ok : failed)++;
            }
        });
    auto started = Steady::now();
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    stop = true;
    for (auto& t : threads) t.join();
    if (failed) std::printf("  (%ld sign-ins failed)\n", failed.load());
    return static_cast<double>(ok) / std::chrono::duration<double>(Steady::now() - started).count();
}

/// Connections that misbehave for as long as it lives: `idle` keep-alive connections that made
/// one request and went quiet, and `slow` connections sending a head one byte a second (each
/// replaced when the server drops it at its header deadline).
class Crowd {
public:
    Crowd(int port, int idle, int slow) : port_(port) {
        for (int i = 0; i < idle; ++i) {
            idle_.emplace_back(port);
            idle_.back().send(getRequest("/healthz"));
            idle_.back().readResponse(10s);
        }
        for (int i = 0; i < slow; ++i) slow_.push_back(openSlow());
        trickle_ = std::thread([this] {
            while (!stop_) {
                for (auto& c : slow_)
                    if (!c->send("a")) c = openSlow();
                for (int i = 0; i < 10 && !stop_; ++i) std::this_thread::sleep_for(100ms);
            }
        });
    }
    ~Crowd() {
        stop_ = true;
        trickle_.join();
    }

private:
    std::unique_ptr<RawConnection> openSlow() {
        auto c = std::make_unique<RawConnection>(port_);
        c->send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
        return c;
    }
    int port_;
    std::vector<RawConnection> idle_;
    std::vector<std::unique_ptr<RawConnection>> slow_;
    std::atomic<bool> stop_{false};
    std::thread trickle_;
};

struct Fairness {
    double longestWaitMs = 0;
    long fewestServed = 0;
    long mostServed = 0;
};

/// `clients` keep-alive clients each sending GET /readyz back to back for `seconds`.
Fairness fairness(int port, int clients, int seconds) {
    std::vector<double> longest(clients, 0);
    std::vector<long> served(clients, 0);
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < clients; ++i)
        threads.emplace_back([&, i] {
            RawConnection c(port);
            while (!stop) {
                auto started = Steady::now();
                if (!c.send(getRequest("/readyz")) || !c.readResponse(10s)) {
                    longest[i] = 10'000;
                    return;
                }
                ++served[i];
                longest[i] = std::max(longest[i], ms(Steady::now() - started));
            }
        });
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    stop = true;
    for (auto& t : threads) t.join();
    return {*std::max_element(longest.begin(), longest.end()), *std::min_element(served.begin(), served.end()),
            *std::max_element(served.begin(), served.end())};
}

}  // namespace

int main(int argc, char** argv) {
    int seconds = argInt(argc, argv, "--seconds", 3);
    int idle = argInt(argc, argv, "--idle", 1000);
    int slow = argInt(argc, argv, "--slow", 200);
    int fair = argInt(argc, argv, "--fair", 200);
    rlimit nofile{};
    getrlimit(RLIMIT_NOFILE, &nofile);
    nofile.rlim_cur = nofile.rlim_max;  // both ends of every connection live in this process
    setrlimit(RLIMIT_NOFILE, &nofile);

    spdlog::set_level(spdlog::level::warn);
    TestServer server(db::Driver::Sqlite, {{"auth.bcrypt_cost", "4"}});
    auto client = server.client();
    client.post("/api/v1/auths/signup",
                {{"name", "Bench"}, {"email", "bench@example.com"}, {"password", "correct horse"}});
    int port = server.port();

    signins(port, 8, 1);  // warm-up: the first sign-ins pay for the store's first writes
    std::printf("quiet server\n");
    Latency quiet = healthz(port, 1000);
    std::printf("  /healthz on new connections: p50 %.2f ms  p99 %.2f ms  max %.2f ms  failed %d\n", quiet.p50,
                quiet.p99, quiet.max, quiet.failed);
    double quietRate = signins(port, 8, seconds);
    std::printf("  8 clients' password sign-ins: %.0f /s\n", quietRate);

    std::printf("with %d idle keep-alive and %d slow-header connections open\n", idle, slow);
    Latency loaded;
    double loadedRate = 0;
    Fairness f;
    {
        Crowd crowd(port, idle, slow);
        loaded = healthz(port, 1000);
        std::printf("  /healthz on new connections: p50 %.2f ms  p99 %.2f ms  max %.2f ms  failed %d\n", loaded.p50,
                    loaded.p99, loaded.max, loaded.failed);
        loadedRate = signins(port, 8, seconds);
        std::printf("  8 clients' password sign-ins: %.0f /s\n", loadedRate);
        f = fairness(port, fair, seconds);
        std::printf("  %d keep-alive clients back to back: longest wait %.1f ms, served %ld..%ld requests each\n", fair,
                    f.longestWaitMs, f.fewestServed, f.mostServed);
    }

    double ratio = quietRate > 0 ? loadedRate / quietRate : 0;
    bool latencyOk = loaded.p99 < 50 && loaded.failed == 0;
    bool throughputOk = ratio >= 0.9;
    bool fairOk = f.longestWaitMs < 1000 && f.fewestServed > 0;
    std::printf("ratios: /healthz p99 loaded/quiet %.2f, sign-in throughput loaded/quiet %.2f\n",
                quiet.p99 > 0 ? loaded.p99 / quiet.p99 : 0, ratio);
    std::printf("goal /healthz p99 < 50 ms under load: %s\n", latencyOk ? "met" : "NOT met");
    std::printf("goal sign-in throughput >= 0.9x quiet: %s\n", throughputOk ? "met" : "NOT met");
    std::printf("goal no keep-alive client starved > 1 s: %s\n", fairOk ? "met" : "NOT met");
    return latencyOk && throughputOk && fairOk ? 0 : 1;
}
