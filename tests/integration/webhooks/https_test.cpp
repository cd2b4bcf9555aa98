// HTTPS endpoints: the receiver's certificate is verified (against ca_file when configured).
#include <catch2/catch.hpp>

#include "integration/webhooks/webhook_fixture.h"
#include "support/test_server.h"

using namespace rosterd;
using namespace rosterd::test;

namespace {

struct SelfSigned {
    std::string cert;
    std::string key;
};

/// A throw-away certificate for 127.0.0.1, made by the openssl command line tool.
SelfSigned makeCertificate(const std::string& dir) {
    SelfSigned s{dir + "/cert.pem", dir + "/key.pem"};
    runChecked({"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", s.key, "-out", s.cert});
    return s;
}

Poco::Net::Context::Ptr serverContext(const SelfSigned& s) {
    return new Poco::Net::Context(Poco::Net::Context::SERVER_USE, s.key, s.cert, "", Poco::Net::Context::VERIFY_NONE);
}

}  // namespace

TEST_CASE("an HTTPS endpoint whose certificate is signed by ca_file receives events") {
    std::string dir = makeTempDir("rosterd-wh-tls");
    SelfSigned cert = makeCertificate(dir);
    Secret secret = makeSecret(dir);
    Receiver receiver(0, true, serverContext(cert));
    auto settings = endpointSettings("tls", receiver.url(), secret.path);
    settings["webhook.tls.ca_file"] = cert.cert;
    TestServer server(db::Driver::Sqlite, settings);
    auto ids = appendEvents(server.app(), 2);
    REQUIRE(receiver.waitFor(2));
    REQUIRE(eventually([&] { return deliveryStatus(server.app().store(), ids[1], "tls") == "delivered"; }));
    auto got = receiver.received();
    CHECK(got[0].header("webhook-signature") == expectedSignature(secret.key, got[0]));
}

TEST_CASE("an HTTPS endpoint with a certificate nobody vouches for gets nothing") {
    std::string dir = makeTempDir("rosterd-wh-tls");
    SelfSigned cert = makeCertificate(dir);
    Secret secret = makeSecret(dir);
    Receiver receiver(0, true, serverContext(cert));
    TestServer server(db::Driver::Sqlite, endpointSettings("tls", receiver.url(), secret.path));  // system CAs only
    auto ids = appendEvents(server.app(), 1);
    auto& store = server.app().store();
    REQUIRE(eventually([&] { return attemptsOf(store, ids[0], "tls") >= 1; }));
    CHECK(deliveryStatus(store, ids[0], "tls") == "pending");  // retried later, not sent in clear
    CHECK(receiver.count() == 0);
    auto rs = store.transact([](db::Transaction& tx) { return tx.exec("SELECT last_error FROM webhook_deliveries"); });
    INFO(rs.front().str("last_error"));
    CHECK(rs.front().str("last_error").find("certificate verify failed") != std::string::npos);
}
