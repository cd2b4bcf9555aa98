#include "daemon/connection_check.h"

#include <chrono>
#include <functional>

#include "ldap/directory.h"
#include "ldap/ldap_error.h"

namespace rosterd::daemon {
namespace {

constexpr int kInvalidCredentials = 49;  // LDAP result code
constexpr int kInsufficientAccess = 50;

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

/// Runs `body`, filling `step` with its outcome and the time it took.
CheckStep run(std::string name, const std::function<std::string()>& body,
              const std::function<std::string(const LdapError&)>& fixFor) {
    CheckStep step{std::move(name), false, false, ""};
    auto started = std::chrono::steady_clock::now();
    try {
        step.detail = body();
        step.ok = true;
    } catch (const ldap::Unreachable& e) {
        step.unreachable = true;
        step.detail = std::string(e.what()) +
                      "; fix: check [ldap] url, that the server listens and the firewall "
                      "lets rosterd in, and for TLS start_tls, ca_file and tls_verify";
    } catch (const LdapError& e) {
        step.detail = e.what() + fixFor(e);
    } catch (const std::exception& e) {
        step.detail = e.what();
    }
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    if (step.ok) step.detail += " (" + std::to_string(ms.count()) + " ms)";
    return step;
}

std::string baseFix(const std::string& key) {
    return "; fix: check [ldap] " + key +
           " (spelling, the directory's suffix) and that the service account may read it";
}

/// Counts the entries `filter` selects under `base`, and how many lack each of `required`.
std::string countEntries(ldap::Directory& dir, const std::string& base, const std::string& filter,
                         const std::vector<std::string>& required, const char* what) {
    ldap::SearchRequest req;
    req.base = base;
    req.filter = filter;
    req.attributes = required;
    req.bulk = true;
    req.baseMustExist = true;
    std::vector<std::size_t> missing(required.size(), 0);
    std::size_t total = 0;
    dir.search(req, [&](std::vector<ldap::Entry>& page) {
        for (const auto& e : page) {
            ++total;
            for (std::size_t i = 0; i < required.size(); ++i)
                if (!e.find(required[i]) || e.values(required[i]).empty()) ++missing[i];
        }
    });
    std::string out = std::to_string(total) + " " + what;
    for (std::size_t i = 0; i < required.size(); ++i)
        if (missing[i]) out += ", " + std::to_string(missing[i]) + " without " + required[i];
    if (total == 0)
        throw LdapError("the filter selects no entry under " + base +
                        "; fix: check the filter against an entry (ldapsearch -b '" + base + "' '" + filter + "')");
    return out;
}

}  // namespace

std::vector<CheckStep> checkDirectoryConnection(const ldap::LdapConfig& config) {
    std::vector<CheckStep> steps;
    if (!config.enabled) {
        steps.push_back({"directory", false, false, "[ldap] enabled is false; fix: set it to true to connect"});
        return steps;
    }
    ldap::Directory dir(config);
    auto noFix = [](const LdapError&) { return std::string(); };
    steps.push_back(run(
        "bind as " + config.bindDn + " on " + joined(config.urls),
        [&] {
            // Only the bind: the bases get steps of their own (ping would also read user_base).
            dir.withServiceConnection([](ldap::Connection&) {});
            return std::string("bound");
        },
        [](const LdapError& e) {
            if (e.code() == kInvalidCredentials)
                return std::string("; fix: check [ldap] bind_dn and the password in bind_password_file");
            return std::string();
        }));
    if (!steps.back().ok) return steps;

    auto readBase = [&](const std::string& key, const std::string& base) {
        steps.push_back(run(
            "read " + key + " " + base,
            [&] {
                ldap::SearchRequest req;
                req.base = base;
                req.scope = ldap::Scope::Base;
                req.attributes = {"1.1"};
                req.baseMustExist = true;
                dir.searchAll(req);
                return std::string("exists");
            },
            [&](const LdapError& e) {
                return e.code() == kInsufficientAccess ? std::string("; fix: grant the service account read access")
                                                       : baseFix(key);
            }));
    };
    readBase("user_base", config.userBase);
    if (steps.back().ok)
        steps.push_back(run(
            "count users matching " + config.userFilter,
            [&] {
                return countEntries(dir, config.userBase, config.userFilter,
                                    {config.usernameAttribute, config.mailAttribute, config.idAttribute}, "users");
            },
            noFix));
    // A directory that keeps no memberOf (no overlay, or hidden from the service account) makes
    // every user read as a member of no group at sign-in: say so before anyone is refused. A search
    // of its own, for DNs only: counting it in the read above would fetch every user's groups.
    if (!config.memberOfAttribute.empty() && steps.back().ok)
        steps.push_back(run(
            "count users with " + config.memberOfAttribute,
            [&] {
                ldap::SearchRequest req;
                req.base = config.userBase;
                req.filter = "(&" + config.userFilter + "(" + config.memberOfAttribute + "=*))";
                req.attributes = {"1.1"};
                req.bulk = true;
                std::size_t n = 0;
                dir.search(req, [&](std::vector<ldap::Entry>& page) { n += page.size(); });
                if (n == 0)
                    throw LdapError("no user under " + config.userBase + " has " + config.memberOfAttribute +
                                    ", so sign-in would read every user as in no group; fix: have the directory keep "
                                    "it (OpenLDAP: the memberof overlay) and let the service account read it, or "
                                    "clear [ldap] member_of_attribute");
                return std::to_string(n) + " users";
            },
            noFix));
    if (!config.groupBase.empty()) {
        readBase("group_base", config.groupBase);
        if (steps.back().ok)
            steps.push_back(run(
                "count groups matching " + config.groupFilter,
                [&] {
                    return countEntries(dir, config.groupBase, config.groupFilter, {config.groupNameAttribute},
                                        "groups");
                },
                noFix));
    }
    return steps;
}

}  // namespace rosterd::daemon
