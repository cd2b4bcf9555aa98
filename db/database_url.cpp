#include "db/database_url.h"

#include "common/errors.h"
#include "db/pg_handles.h"

namespace rosterd::db {

const char* driverName(Driver d) { return d == Driver::Sqlite ? "sqlite" : "postgresql"; }

DatabaseUrl parseDatabaseUrl(const std::string& url) {
    const std::string key = "database.url";
    auto startsWith = [&](std::string_view p) { return url.rfind(p, 0) == 0; };
    if (startsWith("sqlite://")) {
        std::string path = url.substr(9);
        if (path.empty() || path == "/")
            throw ConfigError(key, "'" + url + "' names no file (e.g. sqlite:///var/lib/rosterd/rosterd.db)");
        return {Driver::Sqlite, path};
    }
    if (startsWith("postgresql://") || startsWith("postgres://")) {
        char* err = nullptr;
        PgConninfo opts(PQconninfoParse(url.c_str(), &err));
        if (!opts) {
            std::string msg = err ? err : "malformed";
            PQfreemem(err);
            while (!msg.empty() && msg.back() == '\n') msg.pop_back();
            throw ConfigError(key, "malformed PostgreSQL URL: " + msg);
        }
        for (PQconninfoOption* o = opts.get(); o->keyword; ++o) {
            if (std::string(o->keyword) != "port" || !o->val) continue;
            std::string port = o->val;
            if (port.empty() || port.find_first_not_of("0123456789,") != std::string::npos)
                throw ConfigError(key, "'" + port + "' is not a port number");
        }
        return {Driver::Postgres, url};
    }
    throw ConfigError(key, "'" + redactDatabaseUrl(url) +
                               "' is not a database URL (use sqlite:///path or postgresql://user@host/db)");
}

std::string redactDatabaseUrl(const std::string& url) {
    auto scheme = url.find("://");
    auto at = url.find('@');
    if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
    auto colon = url.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace rosterd::db
