#include "ldap/connection.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <new>

#include "ldap/entry_reader.h"
#include "ldap/handles.h"
#include "ldap/ldap_error.h"
#include "ldap/ldap_error_internal.h"
#include "ldap/scope_code.h"

namespace rosterd::ldap {
namespace {

timeval toTimeval(std::chrono::milliseconds ms) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
    return tv;
}

void setOption(LDAP* ld, int option, const void* value, const std::string& name) {
    int rc = ldap_set_option(ld, option, value);
    if (rc != LDAP_OPT_SUCCESS) throw LdapError("cannot set " + name + ": " + ldap_err2string(rc), rc);
}

// libldap writes with write(2); a server that closed the socket would raise SIGPIPE and kill the
// process instead of returning LDAP_SERVER_DOWN, which the pool needs to see.
void ignoreSigpipe() {
    static std::once_flag once;
    std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

bool startsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

LdapHandle connectOne(const std::string& url, const LdapConfig& config) {
    LDAP* raw = nullptr;
    int rc = ldap_initialize(&raw, url.c_str());
    LdapHandle ld(raw);
    if (rc != LDAP_SUCCESS) throw LdapError("invalid URL '" + url + "': " + ldap_err2string(rc), rc);
    int version = LDAP_VERSION3;
    setOption(ld.get(), LDAP_OPT_PROTOCOL_VERSION, &version, "protocol version");
    setOption(ld.get(), LDAP_OPT_REFERRALS, LDAP_OPT_OFF, "referrals");
    timeval tv = toTimeval(config.timeout);
    setOption(ld.get(), LDAP_OPT_NETWORK_TIMEOUT, &tv, "network timeout");
    setOption(ld.get(), LDAP_OPT_TIMEOUT, &tv, "timeout");
    // TCP keepalive: a peer that vanished without closing (a dropped firewall state) is noticed
    // within about two minutes even while a long read waits on it, instead of never.
    int keepaliveIdle = 60, keepaliveProbes = 3, keepaliveInterval = 20;
    setOption(ld.get(), LDAP_OPT_X_KEEPALIVE_IDLE, &keepaliveIdle, "keepalive idle time");
    setOption(ld.get(), LDAP_OPT_X_KEEPALIVE_PROBES, &keepaliveProbes, "keepalive probes");
    setOption(ld.get(), LDAP_OPT_X_KEEPALIVE_INTERVAL, &keepaliveInterval, "keepalive interval");
    bool tls = startsWith(url, "ldaps://") || config.startTls;
    if (tls) {
        int require = config.tlsVerify ? LDAP_OPT_X_TLS_DEMAND : LDAP_OPT_X_TLS_NEVER;
        setOption(ld.get(), LDAP_OPT_X_TLS_REQUIRE_CERT, &require, "tls_verify");
        if (!config.caFile.empty()) setOption(ld.get(), LDAP_OPT_X_TLS_CACERTFILE, config.caFile.c_str(), "ca_file");
        int isServer = 0;  // apply the options above to this handle's own TLS context
        setOption(ld.get(), LDAP_OPT_X_TLS_NEWCTX, &isServer, "TLS context");
    }
    rc = ldap_connect(ld.get());
    if (rc != LDAP_SUCCESS) fail(ld.get(), rc, "cannot connect to " + url);
    if (config.startTls && startsWith(url, "ldap://")) {
        rc = ldap_start_tls_s(ld.get(), nullptr, nullptr);
        if (rc != LDAP_SUCCESS) fail(ld.get(), rc, "StartTLS with " + url + " failed");
    }
    return ld;
}

// For the span of one bulk search, a read-ahead layer between TCP and the LDAP (or TLS) layer:
// libldap otherwise polls before every message and reads each one's header and body with two
// read(2) calls, three system calls per entry; with it, one read fills a buffer of many
// entries. It is removed afterwards rather than left on the pooled connection: with it in place,
// ldap_sync's refreshOnly (sync_client.cpp) delivered only part of a scope's entries. A layer
// still holding bytes cannot be removed, and its connection is then not reused.
class ReadAhead {
public:
    ReadAhead(Connection& c, bool wanted) : c_(c) {
        if (!wanted) return;
        if (ldap_get_option(c.native(), LDAP_OPT_SOCKBUF, &sb_) != LDAP_OPT_SUCCESS || !sb_) return;
        if (ber_sockbuf_add_io(sb_, &ber_sockbuf_io_readahead, LBER_SBIOD_LEVEL_PROVIDER, nullptr) != 0) {
            // liblber links the layer before allocating its buffer: a failure leaves a layer
            // without one in place, which only running out of memory causes.
            if (ber_sockbuf_ctrl(sb_, LBER_SB_OPT_HAS_IO, &ber_sockbuf_io_readahead)) throw std::bad_alloc();
            return;
        }
        added_ = true;
        ber_len_t size = kBufferSize;
        ber_sockbuf_ctrl(sb_, LBER_SB_OPT_SET_READAHEAD, &size);  // best effort: the library's default otherwise
    }
    ~ReadAhead() {
        if (added_ && ber_sockbuf_remove_io(sb_, &ber_sockbuf_io_readahead, LBER_SBIOD_LEVEL_PROVIDER) != 0)
            c_.noteResult(LDAP_SERVER_DOWN);
    }
    ReadAhead(const ReadAhead&) = delete;
    ReadAhead& operator=(const ReadAhead&) = delete;

private:
    static constexpr ber_len_t kBufferSize = 64 * 1024;
    Connection& c_;
    Sockbuf* sb_ = nullptr;
    bool added_ = false;
};

// Gives up an operation still under way; the connection may hold its late answers, so it is
// marked lost and not pooled again.
void retire(Connection& c, int msgid) {
    ldap_abandon_ext(c.native(), msgid, nullptr, nullptr);
    c.noteResult(LDAP_SERVER_DOWN);
}

// A paged read that stopped with `code`: before anything was delivered it is the error itself
// (e.g. unreachable); afterwards, or for a size/time limit, an incomplete read.
[[noreturn]] void stopped(LDAP* ld, int code, const std::string& what, const SearchSummary& summary,
                          bool limit = false) {
    if (summary.entries == 0 && summary.pages == 0 && !limit) fail(ld, code, what);
    throw IncompleteRead(
        what + " stopped after " + std::to_string(summary.entries) + " entries: " + describeError(ld, code), code);
}

// Reads one page's messages, decoding each entry as it arrives. Returns the final result message.
// Until it arrives the operation is outstanding: if this side gives up (a timeout, a decoding
// error), the operation is retired.
MessageHandle receivePage(Connection& c, int msgid, timeval& tv, const std::string& what, SearchSummary& summary,
                          std::vector<Entry>& page) {
    LDAP* ld = c.native();
    struct Outstanding {
        Connection& c;
        int msgid;
        bool done = false;
        ~Outstanding() {
            if (!done) retire(c, msgid);
        }
    } outstanding{c, msgid};
    for (;;) {
        LDAPMessage* raw = nullptr;
        int type = ldap_result(ld, msgid, LDAP_MSG_ONE, &tv, &raw);
        MessageHandle msg(raw);
        if (type == 0)
            throw IncompleteRead(what + " timed out after " + std::to_string(summary.entries) + " entries",
                                 LDAP_TIMEOUT);
        if (type < 0) {
            int code = LDAP_SERVER_DOWN;
            ldap_get_option(ld, LDAP_OPT_RESULT_CODE, &code);
            c.noteResult(code);
            stopped(ld, code, what, summary);
        }
        if (type == LDAP_RES_SEARCH_ENTRY) {
            page.push_back(readEntry(ld, msg.get()));
            ++summary.entries;
        } else if (type == LDAP_RES_SEARCH_RESULT) {
            outstanding.done = true;
            return msg;
        }
        // References (LDAP_RES_SEARCH_REFERENCE) are not followed: referrals are off.
    }
}

}  // namespace

Connection::Connection(::ldap* ld, std::string url, std::chrono::milliseconds timeout)
    : ld_(ld), url_(std::move(url)), timeout_(timeout) {}

Connection::Connection(Connection&& o) noexcept
    : ld_(o.ld_), url_(std::move(o.url_)), timeout_(o.timeout_), lost_(o.lost_) {
    o.ld_ = nullptr;
}

Connection& Connection::operator=(Connection&& o) noexcept {
    if (this != &o) {
        LdapHandle old(ld_);
        ld_ = o.ld_;
        url_ = std::move(o.url_);
        timeout_ = o.timeout_;
        lost_ = o.lost_;
        o.ld_ = nullptr;
    }
    return *this;
}

Connection::~Connection() { LdapHandle owned(ld_); }

Connection Connection::open(const LdapConfig& config) {
    ignoreSigpipe();
    if (config.urls.empty()) throw Unreachable("no directory URL configured (ldap.url)", LDAP_PARAM_ERROR);
    if (!config.tlsVerify) {
        static std::once_flag warned;
        std::call_once(warned,
                       [] { spdlog::warn("ldap: tls_verify = false, the directory's certificate is not checked"); });
    }
    std::string errors;
    int lastCode = LDAP_SERVER_DOWN;
    for (const auto& url : config.urls) {
        try {
            LdapHandle ld = connectOne(url, config);
            return Connection(ld.release(), url, config.timeout);
        } catch (const LdapError& e) {
            spdlog::warn("ldap: {}", e.what());
            errors += (errors.empty() ? "" : "; ") + std::string(e.what());
            lastCode = e.code();
        }
    }
    throw Unreachable("directory unreachable: " + errors, lastCode);
}

void Connection::noteResult(int code) {
    if (isConnectionLost(code)) lost_ = true;
}

void Connection::bind(const std::string& dn, const std::string& password) {
    if (password.empty()) throw LdapError("refusing a bind with an empty password", LDAP_INAPPROPRIATE_AUTH);
    berval cred{static_cast<ber_len_t>(password.size()), const_cast<char*>(password.data())};
    int rc = ldap_sasl_bind_s(ld_, dn.c_str(), LDAP_SASL_SIMPLE, &cred, nullptr, nullptr, nullptr);
    noteResult(rc);
    check(ld_, rc, "bind as '" + dn + "'");
}

bool Connection::tryBind(const std::string& dn, const std::string& password) {
    try {
        bind(dn, password);
        return true;
    } catch (const LdapError& e) {
        if (e.code() == LDAP_INVALID_CREDENTIALS || e.code() == LDAP_INAPPROPRIATE_AUTH ||
            e.code() == LDAP_INVALID_DN_SYNTAX || e.code() == LDAP_UNWILLING_TO_PERFORM)
            return false;
        throw;
    }
}

SearchSummary Connection::search(const SearchRequest& req, const PageCallback& onPage) {
    std::vector<char*> attrs;
    for (const auto& a : req.attributes) attrs.push_back(const_cast<char*>(a.c_str()));
    attrs.push_back(nullptr);
    char** attrList = req.attributes.empty() ? nullptr : attrs.data();
    const std::string what = "search of '" + req.base + "' with " + req.filter;

    SearchSummary summary;
    timeval tv = toTimeval(timeout_);
    const ReadAhead readAhead(*this, req.bulk);
    // Sends the request for the page after `cookie` (the first page for an empty one).
    // A base read answers with one entry at most: paging it would only cost both sides a control.
    const bool paged = req.scope != Scope::Base;
    auto requestPage = [&](const berval& cookie) {
        LDAPControl* rawCtl = nullptr;
        int rc = paged ? ldap_create_page_control(ld_, static_cast<ber_int_t>(req.pageSize > 0 ? req.pageSize : 500),
                                                  const_cast<berval*>(&cookie), 1, &rawCtl)
                       : LDAP_SUCCESS;
        ControlHandle pageCtl(rawCtl);
        check(ld_, rc, "cannot build the paged results control");
        LDAPControl* ctls[] = {pageCtl.get(), nullptr};
        int msgid = 0;
        rc = ldap_search_ext(ld_, req.base.c_str(), scopeCode(req.scope), req.filter.c_str(), attrList, 0,
                             paged ? ctls : nullptr, nullptr, &tv, req.sizeLimit, &msgid);
        noteResult(rc);
        if (rc != LDAP_SUCCESS) stopped(ld_, rc, what, summary);
        return msgid;
    };

    berval none{0, nullptr};
    int msgid = requestPage(none);
    std::size_t handedOver = 0;  // pages given to onPage
    try {
        while (msgid != 0) {
            // Entries are decoded as they arrive (as ldapsearch does) rather than after the whole
            // page: the server keeps sending while this side decodes.
            std::vector<Entry> page;
            MessageHandle res = receivePage(*this, msgid, tv, what, summary, page);
            msgid = 0;

            int err = LDAP_SUCCESS;
            LDAPControl** rawServerCtls = nullptr;
            int prc = ldap_parse_result(ld_, res.get(), &err, nullptr, nullptr, nullptr, &rawServerCtls, 0);
            ControlsHandle serverCtls(rawServerCtls);
            if (prc != LDAP_SUCCESS)
                throw IncompleteRead(what + ": cannot parse the result: " + describeError(ld_, prc), prc);
            if (err == LDAP_NO_SUCH_OBJECT && summary.pages == 0 && summary.entries == 0) {
                if (req.baseMustExist)
                    throw BaseNotFound(
                        what + ": the base does not exist or the service account may not see it (noSuchObject)", err);
                return summary;  // base absent
            }
            if (err != LDAP_SUCCESS)
                stopped(ld_, err, what, summary,
                        err == LDAP_SIZELIMIT_EXCEEDED || err == LDAP_TIMELIMIT_EXCEEDED ||
                            err == LDAP_ADMINLIMIT_EXCEEDED);
            ++summary.pages;

            // The next page is asked for before this one is handed over, so the server prepares it
            // while the caller works on this one.
            if (LDAPControl* resp = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, serverCtls.get(), nullptr)) {
                ber_int_t estimate = 0;
                berval next{0, nullptr};
                prc = ldap_parse_pageresponse_control(ld_, resp, &estimate, &next);
                if (prc != LDAP_SUCCESS) throw IncompleteRead(what + ": bad paged results response", prc);
                BerMemory<char> cookie(next.bv_val);
                if (next.bv_len > 0) msgid = requestPage(next);
            }  // else the server did not page: everything came in one result
            if (page.empty()) continue;
            try {
                ++handedOver;
                onPage(page);
            } catch (...) {
                if (msgid != 0) retire(*this, msgid);  // the caller gave up: so does the page asked for in advance
                throw;
            }
        }
    } catch (const IncompleteRead&) {
        throw;
    } catch (const LdapError& e) {
        // Once pages have been handed over, any failure (an entry that does not decode, the
        // caller's own) ends the read as incomplete: the pool retries other failures on a fresh
        // connection, and the caller would be handed those pages again.
        if (handedOver > 0) throw IncompleteRead(what + ": " + e.what(), e.code());
        throw;
    }
    return summary;
}

std::string Connection::whoAmI() {
    berval* raw = nullptr;
    int rc = ldap_whoami_s(ld_, &raw, nullptr, nullptr);
    BervalHandle id(raw);
    noteResult(rc);
    check(ld_, rc, "whoami");
    return id ? std::string(id->bv_val, id->bv_len) : std::string();
}

}  // namespace rosterd::ldap
