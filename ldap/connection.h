#pragma once
// One move-only connection to the directory. Not thread-safe: one thread uses it at a time (the
// pool hands it out). libldap types are forward-declared so nothing outside ldap/ sees <ldap.h>.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ldap/entry.h"
#include "ldap/ldap_config.h"

struct ldap;  // libldap's LDAP

namespace rosterd::ldap {

enum class Scope { Base, OneLevel, Subtree };

struct SearchRequest {
    std::string base;
    Scope scope = Scope::Subtree;
    std::string filter = "(objectClass=*)";
    std::vector<std::string> attributes;  ///< empty: all user attributes
    int pageSize = 0;                     ///< RFC 2696 page size; 0: the configured one (500)
    int sizeLimit = 0;                    ///< 0: the server's limit
    bool bulk = false;                    ///< a large read: entries buffered many per read(2)
    bool baseMustExist = false;           ///< a missing base throws BaseNotFound instead of reading empty
};

/// Receives one page of entries; may throw to abandon the search.
using PageCallback = std::function<void(std::vector<Entry>& page)>;

struct SearchSummary {
    std::size_t entries = 0;
    std::size_t pages = 0;
};

class Connection {
public:
    /// Connects to the first URL of `config.urls` that answers (then StartTLS when configured).
    /// Does not bind. Throws Unreachable naming every URL tried when none works.
    static Connection open(const LdapConfig& config);

    Connection(Connection&&) noexcept;
    Connection& operator=(Connection&&) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    /// Simple bind; throws LdapError (code 49 for wrong credentials). Refuses an empty password,
    /// which servers treat as an unauthenticated bind that "succeeds".
    void bind(const std::string& dn, const std::string& password);
    /// Simple bind returning false for wrong credentials (or an empty password); throws on the rest.
    bool tryBind(const std::string& dn, const std::string& password);
    /// Paged search delivering entries page by page. Throws IncompleteRead when the read stops
    /// early (limits, dropped connection, failed page) after anything was delivered or because a
    /// limit was hit; LdapError otherwise.
    SearchSummary search(const SearchRequest& request, const PageCallback& onPage);
    /// The "who am I" of RFC 4532: the bound identity ("dn:...") or "" when anonymous.
    std::string whoAmI();

    /// The URL this connection reached.
    const std::string& url() const { return url_; }
    /// Whether an operation saw the connection drop (the pool replaces such connections).
    bool lost() const { return lost_; }
    /// The raw handle, for the other ldap/ sources (sync).
    ::ldap* native() const { return ld_; }
    /// Records the outcome of an operation done through native(): marks the connection lost when
    /// `code` says so.
    void noteResult(int code);
    std::chrono::milliseconds timeout() const { return timeout_; }

private:
    Connection(::ldap* ld, std::string url, std::chrono::milliseconds timeout);
    ::ldap* ld_ = nullptr;
    std::string url_;
    std::chrono::milliseconds timeout_{10'000};
    bool lost_ = false;
};

}  // namespace rosterd::ldap
