#pragma once
// Shared steps of the webhook tests: endpoint settings with a fresh secret, appending events in
// transactions, independent signature checks and bounded polling.
#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/random.h"
#include "daemon/app.h"
#include "db/store.h"
#include "integration/webhooks/receiver.h"
#include "support/process.h"

namespace rosterd::test {

/// A secret file holding whsec_<base64 of 32 random bytes>; returns {path, raw key bytes}.
struct Secret {
    std::string path;
    std::string key;
};

inline std::string poco64(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder enc(out);
    enc.rdbuf()->setLineLength(0);
    enc << bytes;
    enc.close();
    return out.str();
}

inline std::string pocoUnbase64(const std::string& text) {
    std::istringstream in(text);
    Poco::Base64Decoder dec(in);
    std::string out((std::istreambuf_iterator<char>(dec)), std::istreambuf_iterator<char>());
    return out;
}

inline Secret makeSecret(const std::string& dir) {
    Secret s;
    s.key = randomBytes(32);
    s.path = dir + "/secret-" + newUuid();
    writeFile(s.path, "whsec_" + poco64(s.key) + "\n");
    return s;
}

/// Settings for one [webhook.NAME] section.
inline std::map<std::string, std::string> endpointSettings(const std::string& name, const std::string& url,
                                                           const std::string& secretFile,
                                                           const std::string& events = "*",
                                                           const std::string& format = "standard") {
    std::map<std::string, std::string> s{{"webhook." + name + ".url", url},
                                         {"webhook." + name + ".events", events},
                                         {"webhook." + name + ".format", format}};
    if (!secretFile.empty()) s["webhook." + name + ".secret_file"] = secretFile;
    return s;
}

inline std::map<std::string, std::string> merged(std::map<std::string, std::string> a,
                                                 const std::map<std::string, std::string>& b) {
    a.insert(b.begin(), b.end());
    return a;
}

/// Appends `n` events of `type`, all in one transaction; returns their ids in order.
inline std::vector<std::string> appendEvents(daemon::App& app, std::size_t n,
                                             const std::string& type = "sync.completed", std::size_t from = 0) {
    // One transaction: the dispatcher's workers fan out all of them or none, so a test that has
    // seen the first one attempted knows every one has its delivery row (a worker fanning out a
    // later one meanwhile would make the test thread's drain() skip that work).
    return app.store().transact([&](db::Transaction& tx) {
        std::vector<std::string> ids;
        for (std::size_t i = 0; i < n; ++i) ids.push_back(app.outbox().append(tx, type, {{"n", from + i}}));
        return ids;
    });
}

/// Poco's SHA-256 engine with the block and digest sizes its HMACEngine template asks for.
class Sha256Engine : public Poco::SHA2Engine {
public:
    enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
    Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

/// The signature a receiver computes itself: Poco's HMAC-SHA256 and base64, not rosterd's.
inline std::string expectedSignature(const std::string& key, const Received& r) {
    Poco::HMACEngine<Sha256Engine> hmac(key);
    std::string input = r.header("webhook-id") + "." + r.header("webhook-timestamp") + "." + r.body;
    hmac.update(input);
    const auto& digest = hmac.digest();
    return "v1," + poco64(std::string(digest.begin(), digest.end()));
}

/// Polls `done` every 10 ms until it holds or `timeout` passes.
inline bool eventually(const std::function<bool()>& done,
                       std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
}

/// Status of the delivery of an event to an endpoint ("" when there is none).
inline std::string deliveryStatus(db::Store& store, const std::string& eventId, const std::string& endpoint) {
    auto rs = store.transact([&](db::Transaction& tx) {
        return tx.exec("SELECT status FROM webhook_deliveries WHERE event_id = $1 AND endpoint = $2",
                       {eventId, endpoint});
    });
    return rs.empty() ? "" : rs.front().str("status");
}

inline std::int64_t countDeliveries(db::Store& store, const std::string& endpoint, const std::string& status) {
    return store.transact([&](db::Transaction& tx) {
        return tx
            .exec("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE endpoint = $1 AND status = $2",
                  {endpoint, status})
            .front()
            .i64("n");
    });
}

inline std::int64_t attemptsOf(db::Store& store, const std::string& eventId, const std::string& endpoint) {
    return store.transact([&](db::Transaction& tx) {
        auto rs = tx.exec("SELECT attempts FROM webhook_deliveries WHERE event_id = $1 AND endpoint = $2",
                          {eventId, endpoint});
        return rs.empty() ? std::int64_t(-1) : rs.front().i64("attempts");
    });
}

}  // namespace rosterd::test
