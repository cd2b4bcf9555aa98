#include "daemon/reload.h"

#include <spdlog/spdlog.h>

namespace rosterd::daemon {

void ReloadHooks::add(ReloadHook hook) { hooks_.push_back(std::move(hook)); }

void ReloadHooks::validate(const Config& next) const {
    for (const auto& h : hooks_)
        if (h.validate) h.validate(next);
}

void ReloadHooks::apply(const Config& next, const Config& previous) const {
    for (const auto& h : hooks_) {
        if (!h.apply) continue;
        try {
            h.apply(next, previous);
        } catch (const std::exception& e) {
            spdlog::error("reload: applying the new {} settings failed: {}", h.name, e.what());
        }
    }
}

std::vector<std::string> restartOnlyChanges(const Config& previous, const Config& next) {
    std::vector<std::string> changed;
    const auto& a = previous.server;
    const auto& b = next.server;
    if (a.host != b.host || a.port != b.port) changed.push_back("server.listen");
    if (a.threads != b.threads) changed.push_back("server.threads");
    if (a.maxBodyBytes != b.maxBodyBytes) changed.push_back("server.max_body_bytes");
    if (a.shutdownTimeout != b.shutdownTimeout) changed.push_back("server.shutdown_timeout");
    if (a.maxConnections != b.maxConnections) changed.push_back("server.max_connections");
    if (a.maxHeaderBytes != b.maxHeaderBytes) changed.push_back("server.max_header_bytes");
    if (a.maxHeaderCount != b.maxHeaderCount) changed.push_back("server.max_header_count");
    if (a.headerTimeout != b.headerTimeout) changed.push_back("server.header_timeout");
    if (a.requestTimeout != b.requestTimeout) changed.push_back("server.request_timeout");
    if (a.keepAliveTimeout != b.keepAliveTimeout) changed.push_back("server.keep_alive_timeout");
    if (a.persistentConfig != b.persistentConfig) changed.push_back("server.persistent_config");
    const auto& d = previous.database;
    const auto& e = next.database;
    if (d.url != e.url) changed.push_back("database.url");
    if (d.poolSize != e.poolSize) changed.push_back("database.pool_size");
    if (d.acquireTimeout != e.acquireTimeout) changed.push_back("database.acquire_timeout");
    if (d.busyTimeout != e.busyTimeout) changed.push_back("database.busy_timeout");
    if (previous.permissions != next.permissions) changed.push_back("permissions");
    if (previous.ldap.enabled != next.ldap.enabled) changed.push_back("ldap.enabled");
    // The password hasher, the sign-in limiters, the token key and the importer are built once.
    const auto& f = previous.auth;
    const auto& g = next.auth;
    if (f.bcryptCost != g.bcryptCost) changed.push_back("auth.bcrypt_cost");
    if (f.passwordMinLength != g.passwordMinLength) changed.push_back("auth.password_min_length");
    if (f.jwtSecretFile != g.jwtSecretFile) changed.push_back("auth.jwt_secret_file");
    if (f.jwtPreviousSecretFile != g.jwtPreviousSecretFile) changed.push_back("auth.jwt_previous_secret_file");
    if (f.signinMaxAttempts != g.signinMaxAttempts) changed.push_back("auth.signin_max_attempts");
    if (f.signinWindow != g.signinWindow) changed.push_back("auth.signin_window");
    if (f.signupMaxAttempts != g.signupMaxAttempts) changed.push_back("auth.signup_max_attempts");
    if (f.signupWindow != g.signupWindow) changed.push_back("auth.signup_window");
    if (previous.import.maxBytes != next.import.maxBytes) changed.push_back("import.max_bytes");
    if (previous.import.threads != next.import.threads) changed.push_back("import.threads");
    if (previous.import.batchSize != next.import.batchSize) changed.push_back("import.batch_size");
    return changed;
}

Config keepRestartOnly(Config next, const Config& running) {
    next.server = running.server;
    next.database = running.database;
    next.permissions = running.permissions;
    next.import = running.import;
    // LDAP on/off decides which routes and workers exist; the whole running section stays.
    if (running.ldap.enabled != next.ldap.enabled) next.ldap = running.ldap;
    auto& a = next.auth;
    const auto& r = running.auth;
    a.bcryptCost = r.bcryptCost;
    a.passwordMinLength = r.passwordMinLength;
    a.jwtSecretFile = r.jwtSecretFile;
    a.jwtPreviousSecretFile = r.jwtPreviousSecretFile;
    a.signinMaxAttempts = r.signinMaxAttempts;
    a.signinWindow = r.signinWindow;
    a.signupMaxAttempts = r.signupMaxAttempts;
    a.signupWindow = r.signupWindow;
    return next;
}

}  // namespace rosterd::daemon
