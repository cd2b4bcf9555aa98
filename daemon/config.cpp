#include "daemon/config.h"

#include <cstdlib>
#include <filesystem>

#include "common/errors.h"
#include "db/database_url.h"

namespace rosterd::daemon {
namespace {

void readServer(ConfigReader& r, ServerConfig& s) {
    std::string listen = r.str("server", "listen", s.host + ":" + std::to_string(s.port));
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) throw ConfigError("server.listen", "'" + listen + "' is not host:port");
    s.host = listen.substr(0, colon);
    if (s.host.size() >= 2 && s.host.front() == '[' && s.host.back() == ']')
        s.host = s.host.substr(1, s.host.size() - 2);
    std::string port = listen.substr(colon + 1);
    std::size_t pos = 0;
    long p = -1;
    try {
        p = std::stol(port, &pos);
    } catch (const std::exception&) {
    }
    if (pos != port.size() || p < 0 || p > 65535)
        throw ConfigError("server.listen", "'" + port + "' is not a port number (0-65535)");
    if (s.host.empty()) throw ConfigError("server.listen", "'" + listen + "' names no host");
    s.port = static_cast<std::uint16_t>(p);
    s.threads = static_cast<int>(r.integer("server", "threads", s.threads, 1, 1024));
    s.maxBodyBytes = static_cast<std::size_t>(
        r.integer("server", "max_body_bytes", static_cast<long long>(s.maxBodyBytes), 1024, 1LL << 32));
    s.shutdownTimeout = r.duration("server", "shutdown_timeout", s.shutdownTimeout);
    s.maxConnections = static_cast<int>(r.integer("server", "max_connections", s.maxConnections, 1, 1'000'000));
    s.maxHeaderBytes = static_cast<std::size_t>(
        r.integer("server", "max_header_bytes", static_cast<long long>(s.maxHeaderBytes), 1024, 1 << 20));
    s.maxHeaderCount = static_cast<int>(r.integer("server", "max_header_count", s.maxHeaderCount, 1, 10'000));
    auto positive = [&](const char* key, std::chrono::milliseconds def) {
        auto d = r.duration("server", key, def);
        if (d.count() <= 0) throw ConfigError(std::string("server.") + key, "must be longer than 0");
        return d;
    };
    s.headerTimeout = positive("header_timeout", s.headerTimeout);
    s.requestTimeout = positive("request_timeout", s.requestTimeout);
    s.keepAliveTimeout = positive("keep_alive_timeout", s.keepAliveTimeout);
    s.persistentConfig = r.boolean("server", "persistent_config", s.persistentConfig);
}

void readDatabase(ConfigReader& r, db::StoreConfig& d) {
    // Under systemd the default lives in StateDirectory= (/var/lib/rosterd/rosterd.db).
    std::string url = r.str("database", "url", "sqlite://" + stateDirectory() + "/rosterd.db");
    if (const char* env = std::getenv("DATABASE_URL"); env && *env) url = env;
    db::parseDatabaseUrl(url);  // validates; throws ConfigError naming database.url
    d.url = url;
    d.poolSize =
        static_cast<std::size_t>(r.integer("database", "pool_size", static_cast<long long>(d.poolSize), 1, 256));
    d.acquireTimeout = r.duration("database", "acquire_timeout", d.acquireTimeout);
    d.busyTimeout = r.duration("database", "busy_timeout", d.busyTimeout);
}

}  // namespace

std::string defaultConfigPath() {
    const char* path = "/etc/rosterd/rosterd.ini";
    return std::filesystem::exists(path) ? path : "";
}

Config loadConfig(ConfigReader& r) {
    Config c;
    readServer(r, c.server);
    c.log.level = r.choice("log", "level", c.log.level, {"trace", "debug", "info", "warn", "error", "critical", "off"});
    readDatabase(r, c.database);
    readAuth(r, c.auth);
    readImport(r, c.import);
    c.permissions = readPermissions(r);
    readSync(r, c.sync);
    readWebhooks(r, c.webhooks);
    readLdap(r, c.ldap);
    readDirectoryPolicy(r, c);
    r.rejectUnknownKeys();
    c.entries = r.values();
    return c;
}

Config withOverrides(const Config& base, const std::map<std::string, std::string>& overrides) {
    ConfigReader r;
    // set() joins section and key with a dot, so splitting at the first dot rebuilds the same name.
    auto split = [](const std::string& full) {
        auto dot = full.find('.');
        if (dot == std::string::npos) throw ConfigError(full, "is not a section.key name");
        return std::pair{full.substr(0, dot), full.substr(dot + 1)};
    };
    for (const auto& [full, value] : base.entries) {
        auto [section, key] = split(full);
        r.set(section, key, value);
    }
    for (const auto& [full, value] : overrides) {
        auto [section, key] = split(full);
        r.setOverride(section, key, value);
    }
    Config c = loadConfig(r);
    c.sourcePath = base.sourcePath;
    return c;
}

Config loadConfigFile(const std::string& path) {
    ConfigReader r = path.empty() ? ConfigReader() : ConfigReader::fromFile(path);
    Config c = loadConfig(r);
    c.sourcePath = path;
    return c;
}

}  // namespace rosterd::daemon
