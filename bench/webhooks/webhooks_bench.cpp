// Webhook delivery throughput: events per second delivered to a local receiver, against raw Poco
// HTTP POSTs of the same bodies to the same receiver measured in the same run.
//
//   bench_webhooks [events] [sqlite|postgresql|both]
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>

#include "integration/webhooks/receiver.h"
#include "integration/webhooks/webhook_fixture.h"
#include "support/process.h"
#include "support/test_server.h"
#include "webhooks/event.h"

using namespace rosterd;
using namespace rosterd::test;
using Steady = std::chrono::steady_clock;

namespace {

nlohmann::json sampleUser(std::size_t i) {
    return {{"id", newUuid()},
            {"name", "User " + std::to_string(i)},
            {"email", "user" + std::to_string(i) + "@example.com"},
            {"role", "user"},
            {"source", "ldap"},
            {"active", true},
            {"created_at", 1700000000},
            {"updated_at", 1700000000}};
}

/// Raw POSTs over one kept-alive connection: the most a single in-order sender could do.
double baselineRate(Receiver& receiver, std::size_t n) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(receiver.port()));
    session.setKeepAlive(true);
    std::size_t before = receiver.count();
    auto start = Steady::now();
    for (std::size_t i = 0; i < n; ++i) {
        webhooks::Event e{newUuid(), "user.updated", 1700000000000, sampleUser(i)};
        std::string body = webhooks::standardBody(e).dump();
        Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, "/hook", Poco::Net::HTTPMessage::HTTP_1_1);
        req.setContentType("application/json");
        req.setContentLength(static_cast<std::streamsize>(body.size()));
        req.setKeepAlive(true);
        session.sendRequest(req) << body;
        Poco::Net::HTTPResponse res;
        std::istream& in = session.receiveResponse(res);
        Poco::NullOutputStream sink;
        Poco::StreamCopier::copyStream(in, sink);
    }
    double secs = std::chrono::duration<double>(Steady::now() - start).count();
    if (receiver.count() - before != n) throw std::runtime_error("baseline: receiver missed requests");
    return n / secs;
}

struct RunResult {
    double appendRate = 0;
    double deliveryRate = 0;
};

/// Appends `n` events with the dispatcher stopped, then starts it and times the delivery of all.
RunResult rosterdRate(db::Driver driver, std::vector<Receiver*> receivers, std::size_t n, const std::string& dir) {
    Secret secret = makeSecret(dir);
    std::map<std::string, std::string> settings{{"log.level", "warn"}};
    for (std::size_t i = 0; i < receivers.size(); ++i)
        settings = merged(settings, endpointSettings("r" + std::to_string(i), receivers[i]->url(), secret.path));
    TestServer server(driver, settings);
    auto& app = server.app();
    app.webhooks().stop();
    std::vector<std::size_t> before;
    for (auto* r : receivers) before.push_back(r->count());

    RunResult out;
    auto start = Steady::now();
    constexpr std::size_t kPerTx = 100;  // as a sync run writes its changes in batches
    for (std::size_t i = 0; i < n; i += kPerTx)
        app.store().transact([&](db::Transaction& tx) {
            for (std::size_t j = i; j < std::min(n, i + kPerTx); ++j)
                app.outbox().append(tx, "user.updated", sampleUser(j));
        });
    out.appendRate = n / std::chrono::duration<double>(Steady::now() - start).count();

    start = Steady::now();
    app.webhooks().start();
    for (std::size_t i = 0; i < receivers.size(); ++i)
        if (!eventually([&] { return receivers[i]->count() - before[i] >= n; }, std::chrono::minutes(5)))
            throw std::runtime_error("not every event was delivered within 5 minutes");
    double secs = std::chrono::duration<double>(Steady::now() - start).count();
    out.deliveryRate = (n * receivers.size()) / secs;
    for (std::size_t i = 0; i < receivers.size(); ++i)
        if (receivers[i]->count() - before[i] != n) throw std::runtime_error("an event was delivered twice");
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    spdlog::set_level(spdlog::level::warn);
    std::size_t n = argc > 1 ? std::stoul(argv[1]) : 5000;
    std::string which = argc > 2 ? argv[2] : "both";
    std::string dir = makeTempDir("rosterd-bench-wh");
    Receiver r0(0, /*record=*/false), r1(0, false), r2(0, false), r3(0, false);

    baselineRate(r0, 500);  // warm-up
    double baseline = baselineRate(r0, n);
    std::printf("webhook delivery, %zu events of ~300 bytes, receiver on loopback (Poco HTTPServer)\n", n);
    std::printf("  baseline: raw Poco POSTs, one kept-alive connection  %10.0f req/s\n", baseline);

    bool ok = true;
    std::vector<db::Driver> drivers;
    if (which == "both" || which == "sqlite") drivers.push_back(db::Driver::Sqlite);
    if (which == "both" || which == "postgresql") drivers.push_back(db::Driver::Postgres);
    for (auto driver : drivers) {
        RunResult one = rosterdRate(driver, {&r0}, n, dir);
        RunResult four = rosterdRate(driver, {&r0, &r1, &r2, &r3}, n, dir);
        std::printf("  %-10s append (100 events per transaction)       %10.0f events/s\n", db::driverName(driver),
                    one.appendRate);
        std::printf("  %-10s 1 endpoint: delivered, signed, recorded    %10.0f events/s  (%.2fx baseline)\n",
                    db::driverName(driver), one.deliveryRate, one.deliveryRate / baseline);
        std::printf("  %-10s 4 endpoints: deliveries in total           %10.0f deliveries/s  (%.2fx baseline)\n",
                    db::driverName(driver), four.deliveryRate, four.deliveryRate / baseline);
        ok = ok && one.deliveryRate >= 2000;
    }
    std::printf("goal: >= 2000 events/s to one endpoint: %s\n", ok ? "met" : "NOT met");
    return ok ? 0 : 1;
}
