#include "ldap/directory.h"

#include <ldap.h>

#include "ldap/ldap_error.h"
#include "ldap/range_retrieval.h"

namespace rosterd::ldap {

Directory::Directory(LdapConfig config)
    : config_(std::move(config)),
      service_(config_, config_.bindDn, readBindPassword(config_.bindPasswordFile)),
      binds_(config_, "", "") {}

SearchSummary Directory::search(SearchRequest request, const PageCallback& onPage) {
    if (request.pageSize <= 0) request.pageSize = config_.pageSize;
    SearchSummary summary;
    service_.run([&](Connection& c) {
        summary = c.search(request, [&](std::vector<Entry>& page) {
            // Values the server sent in ranges are completed before anyone sees the entry, on
            // the same connection (libldap keeps the next page's answers apart by message id).
            for (auto& e : page)
                if (hasRanges(e)) completeRanges(c, e, config_.maxAttributeValues);
            onPage(page);
        });
    });
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

std::optional<BindRefusal> Directory::verifyPassword(const std::string& dn, const std::string& password) {
    if (password.empty() || dn.empty()) return BindRefusal::WrongCredentials;
    std::optional<BindRefusal> refusal;
    binds_.run([&](Connection& c) {
        refusal.reset();
        try {
            c.bind(dn, password);
        } catch (const LdapError& e) {
            // The refusals tryBind takes as "no"; anything else is the directory failing.
            if (e.code() != LDAP_INVALID_CREDENTIALS && e.code() != LDAP_INAPPROPRIATE_AUTH &&
                e.code() != LDAP_INVALID_DN_SYNTAX && e.code() != LDAP_UNWILLING_TO_PERFORM)
                throw;
            refusal = bindRefusalOf(e.what());
        }
    });
    return refusal;
}

void Directory::withServiceConnection(const std::function<void(Connection&)>& fn) { service_.run(fn); }

void Directory::ping() {
    // A bind (the pool's) and a base read of the user base: every directory answers these, while
    // "Who am I?" is an optional extended operation (Samba AD lacks it).
    SearchRequest req;
    req.base = config_.userBase;  // empty: the root DSE
    req.scope = Scope::Base;
    req.attributes = {"1.1"};
    req.pageSize = config_.pageSize;
    req.baseMustExist = true;
    service_.run([&](Connection& c) { c.search(req, [](std::vector<Entry>&) {}); });
}

}  // namespace rosterd::ldap
