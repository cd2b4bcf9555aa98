#include "support/ad_range_server.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace rosterd::test {

AdRangeServer::AdRangeServer(AdRangeOptions options) {
    const std::string folder = std::string(ROSTERD_SOURCE_DIR) + "/tests/support/ad_range_server";
    if (!std::filesystem::exists(folder + "/node_modules/ldapjs"))
        throw std::runtime_error("ldapjs is not installed in " + folder + "; scripts/install-deps runs npm ci there");
    dir_ = makeTempDir("rosterd-adrange");
    writeFile(servicePasswordFile(), "svc-pw\n");
    port_ = freePort();
    const std::string log = dir_ + "/server.log";
    process_.emplace(std::vector<std::string>{"node", folder + "/server.js", std::to_string(port_),
                                              std::to_string(options.users), std::to_string(options.maxValRange)},
                     std::vector<std::string>{}, log);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        if (!process_->running()) throw std::runtime_error("the AD range server exited: " + readFile(log));
        if (readFile(log).find("listening") != std::string::npos) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("the AD range server did not listen within 30s: " + readFile(log));
}

AdRangeServer::~AdRangeServer() {
    process_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::string AdRangeServer::userDn(int i) {
    char name[16];
    std::snprintf(name, sizeof name, "u%05d", i);
    return std::string("CN=") + name + "," + kPeople;
}

ldap::LdapConfig AdRangeServer::config() const {
    ldap::LdapConfig c;
    c.serverType = ldap::ServerType::ActiveDirectory;
    ldap::applyServerTypeDefaults(c);
    c.enabled = true;
    c.urls = {url()};
    c.bindDn = kServiceDn;
    c.bindPasswordFile = servicePasswordFile();
    c.userBase = kPeople;
    c.groupBase = kGroups;
    c.timeout = std::chrono::milliseconds(5'000);
    return c;
}

std::map<std::string, std::string> AdRangeServer::settings(std::map<std::string, std::string> extra) const {
    std::map<std::string, std::string> s = {{"ldap.enabled", "true"},
                                            {"ldap.server_type", "active_directory"},
                                            {"ldap.url", url()},
                                            {"ldap.bind_dn", kServiceDn},
                                            {"ldap.bind_password_file", servicePasswordFile()},
                                            {"ldap.user_base", kPeople},
                                            {"ldap.group_base", kGroups},
                                            {"ldap.timeout", "5s"}};
    for (auto& [k, v] : extra) s[k] = v;
    return s;
}

}  // namespace rosterd::test
