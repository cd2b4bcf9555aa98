#include "ldap/directory.h"

namespace rosterd::ldap {

Directory::Directory(LdapConfig config)
    : config_(std::move(config)),
      service_(config_, config_.bindDn, readBindPassword(config_.bindPasswordFile)),
      binds_(config_, "", "") {}

SearchSummary Directory::search(SearchRequest request, const PageCallback& onPage) {
    if (request.pageSize <= 0) request.pageSize = config_.pageSize;
    SearchSummary summary;
    service_.run([&](Connection& c) { summary = c.search(request, onPage); });
    return summary;
}

std::vector<Entry> Directory::searchAll(SearchRequest request) {
    std::vector<Entry> all;
    search(std::move(request), [&](std::vector<Entry>& page) {
        for (auto& e : page) all.push_back(std::move(e));
    });
    return all;
}

bool Directory::checkPassword(const std::string& dn, const std::string& password) {
    if (password.empty() || dn.empty()) return false;
    bool ok = false;
    binds_.run([&](Connection& c) { ok = c.tryBind(dn, password); });
    return ok;
}

void Directory::withServiceConnection(const std::function<void(Connection&)>& fn) { service_.run(fn); }

void Directory::ping() {
    service_.run([](Connection& c) { c.whoAmI(); });
}

}  // namespace rosterd::ldap
