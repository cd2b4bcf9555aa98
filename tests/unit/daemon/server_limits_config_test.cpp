// The [server] limits of the serving model: read with their defaults, refused with the key named.
#include <catch2/catch.hpp>

#include "common/errors.h"
#include "daemon/config.h"

using namespace rosterd;
using namespace rosterd::daemon;

namespace {
ServerConfig serverWith(const std::string& key, const std::string& value) {
    ConfigReader r;
    r.set("database", "url", "sqlite:///tmp/rosterd-config-test.db");
    r.set("server", key, value);
    return loadConfig(r).server;
}

std::string errorKeyOf(const std::string& key, const std::string& value) {
    try {
        serverWith(key, value);
    } catch (const ConfigError& e) {
        return e.key();
    }
    return "";
}
}  // namespace

TEST_CASE("[server] limits are read, and bad values name their key") {
    ConfigReader r;
    r.set("database", "url", "sqlite:///tmp/rosterd-config-test.db");
    ServerConfig d = loadConfig(r).server;
    CHECK(d.maxConnections == 10'000);
    CHECK(d.maxHeaderBytes == 16 * 1024);
    CHECK(d.headerTimeout == std::chrono::seconds(10));
    CHECK(d.keepAliveTimeout == std::chrono::seconds(60));

    CHECK(serverWith("max_connections", "50").maxConnections == 50);
    CHECK(serverWith("max_header_bytes", "8192").maxHeaderBytes == 8192);
    CHECK(serverWith("max_header_count", "20").maxHeaderCount == 20);
    CHECK(serverWith("header_timeout", "2s").headerTimeout == std::chrono::seconds(2));
    CHECK(serverWith("request_timeout", "500ms").requestTimeout == std::chrono::milliseconds(500));
    CHECK(serverWith("keep_alive_timeout", "5s").keepAliveTimeout == std::chrono::seconds(5));

    CHECK(errorKeyOf("max_connections", "0") == "server.max_connections");
    CHECK(errorKeyOf("max_header_bytes", "10") == "server.max_header_bytes");
    CHECK(errorKeyOf("max_header_count", "x") == "server.max_header_count");
    CHECK(errorKeyOf("header_timeout", "0s") == "server.header_timeout");
    CHECK(errorKeyOf("request_timeout", "soon") == "server.request_timeout");
    CHECK(errorKeyOf("keep_alive_timeout", "0") == "server.keep_alive_timeout");
}
