#include "ldap/sync_client.h"

#include <algorithm>
#include <chrono>
#include <exception>

#include "ldap/entry_reader.h"
#include "ldap/handles.h"
#include "ldap/ldap_error.h"
#include "ldap/ldap_error_internal.h"
#include "ldap/read_watchdog.h"
#include "ldap/scope_code.h"

namespace rosterd::ldap {
namespace {

struct SyncDeleter {
    // ldap_sync_destroy frees base/filter/attrs and unbinds ls_ld: the caller owns those, so
    // they are detached first and only the struct and its cookie are released here.
    void operator()(ldap_sync_t* ls) const {
        ls->ls_base = nullptr;
        ls->ls_filter = nullptr;
        ls->ls_attrs = nullptr;
        ls->ls_ld = nullptr;
        ldap_sync_destroy(ls, 1);
    }
};

struct Context {
    const SyncHandler* handler;
    SyncResult* result;
    std::exception_ptr error;  // exceptions must not cross libldap's C frames
    std::size_t idSets = 0;
    ReadWatchdog* watchdog = nullptr;
};

void noteProgress(ldap_sync_t* ls) {
    auto* ctx = static_cast<Context*>(ls->ls_private);
    if (ctx->watchdog) ctx->watchdog->progress();
}

SyncPhase toPhase(ldap_sync_refresh_t p) {
    switch (p) {
        case LDAP_SYNC_CAPI_ADD:
            return SyncPhase::Add;
        case LDAP_SYNC_CAPI_MODIFY:
            return SyncPhase::Modify;
        case LDAP_SYNC_CAPI_DELETE:
            return SyncPhase::Delete;
        default:
            return SyncPhase::Present;
    }
}

std::string uuidOf(const berval* bv) {
    if (!bv || !bv->bv_val) return "";
    return formatUuid(std::string(bv->bv_val, bv->bv_len));
}

int onEntry(ldap_sync_t* ls, LDAPMessage* msg, berval* entryUUID, ldap_sync_refresh_t phase) {
    auto* ctx = static_cast<Context*>(ls->ls_private);
    noteProgress(ls);
    try {
        SyncEntry se;
        se.uuid = uuidOf(entryUUID);
        if (se.uuid.empty()) throw IncompleteRead("the directory sent a sync entry without a valid entryUUID");
        se.phase = toPhase(phase);
        se.entry = readEntry(ls->ls_ld, msg, se.phase == SyncPhase::Add || se.phase == SyncPhase::Modify);
        ++ctx->result->entries;
        if (ctx->handler->onEntry) ctx->handler->onEntry(se);
        return LDAP_SUCCESS;
    } catch (...) {
        ctx->error = std::current_exception();
        return LDAP_OTHER;
    }
}

int onReference(ldap_sync_t* ls, LDAPMessage*) {
    noteProgress(ls);
    return LDAP_SUCCESS;
}

int onIntermediate(ldap_sync_t* ls, LDAPMessage*, BerVarray uuids, ldap_sync_refresh_t phase) {
    auto* ctx = static_cast<Context*>(ls->ls_private);
    noteProgress(ls);
    if (!uuids) return LDAP_SUCCESS;  // a phase marker, not an id set
    try {
        std::vector<std::string> ids;
        for (int i = 0; uuids[i].bv_val; ++i) {
            ids.push_back(uuidOf(&uuids[i]));
            // An id that is not a UUID cannot be matched: the set is not trustworthy as a whole.
            if (ids.back().empty()) throw IncompleteRead("the directory sent a malformed entryUUID in a sync id set");
        }
        ++ctx->idSets;
        SyncPhase p = phase == LDAP_SYNC_CAPI_DELETES_IDSET ? SyncPhase::Delete : SyncPhase::Present;
        if (ctx->handler->onIdSet) ctx->handler->onIdSet(p, ids);
        return LDAP_SUCCESS;
    } catch (...) {
        ctx->error = std::current_exception();
        return LDAP_OTHER;
    }
}

int onResult(ldap_sync_t* ls, LDAPMessage*, int refreshDeletes) {
    auto* ctx = static_cast<Context*>(ls->ls_private);
    noteProgress(ls);
    ctx->result->refreshDeletes = refreshDeletes != 0;
    return LDAP_SUCCESS;
}

}  // namespace

SyncResult refreshOnly(Connection& connection, const SyncRequest& req, const SyncHandler& handler) {
    std::unique_ptr<ldap_sync_t, SyncDeleter> ls(ldap_sync_initialize(nullptr));
    if (!ls) throw LdapError("cannot allocate the sync state", LDAP_NO_MEMORY);

    std::string base = req.base;
    std::string filter = req.filter;
    std::vector<char*> attrs;
    for (const auto& a : req.attributes) attrs.push_back(const_cast<char*>(a.c_str()));
    attrs.push_back(nullptr);

    SyncResult result;
    Context ctx{&handler, &result, nullptr};
    ls->ls_base = base.data();
    ls->ls_scope = scopeCode(req.scope);
    ls->ls_filter = filter.data();
    ls->ls_attrs = req.attributes.empty() ? nullptr : attrs.data();
    // A server-side bound on the whole exchange; the watchdog below bounds it on this side.
    const auto timelimit = std::chrono::seconds(std::max<long long>(60, 10 * connection.timeout().count() / 1000));
    ls->ls_timelimit = static_cast<int>(timelimit.count());
    ls->ls_sizelimit = 0;
    ls->ls_timeout = static_cast<int>(std::max<long long>(1, connection.timeout().count() / 1000));
    ls->ls_search_entry = onEntry;
    ls->ls_search_reference = onReference;
    ls->ls_intermediate = onIntermediate;
    ls->ls_search_result = onResult;
    ls->ls_private = &ctx;
    ls->ls_ld = connection.native();
    if (!req.cookie.empty()) {
        berval in{static_cast<ber_len_t>(req.cookie.size()), const_cast<char*>(req.cookie.data())};
        ber_dupbv(&ls->ls_cookie, &in);  // the library replaces it with ber_* allocation
    }

    int fd = -1;
    if (ldap_get_option(connection.native(), LDAP_OPT_DESC, &fd) != LDAP_OPT_SUCCESS || fd < 0)
        throw LdapError("refreshOnly sync of '" + req.base + "': the connection has no socket", LDAP_SERVER_DOWN);
    int rc = LDAP_SUCCESS;
    std::string timedOut;
    {
        // libldap's refresh loop has no deadline of its own: the same idle bound as a paged
        // search (nothing arriving for [ldap] timeout), and the time limit asked of the server
        // plus that much as a bound on the whole exchange.
        ReadWatchdog watchdog(fd, connection.timeout(), timelimit + connection.timeout());
        ctx.watchdog = &watchdog;
        rc = ldap_sync_init_refresh_only(ls.get());
        ctx.watchdog = nullptr;
        timedOut = watchdog.reason();
    }
    if (!timedOut.empty()) connection.noteResult(LDAP_SERVER_DOWN);  // its socket is shut: never reused
    // (A read that completed just as the bound came is still whole.)
    if (!timedOut.empty() && (rc != LDAP_SUCCESS || ctx.error)) {
        // Never retried on another connection: a directory that stopped answering would only
        // hold the run for another timeout.
        throw IncompleteRead("refreshOnly sync of '" + req.base + "' timed out after " +
                                 std::to_string(result.entries) + " entries: " + timedOut,
                             LDAP_TIMEOUT);
    }
    connection.noteResult(rc);
    if (ctx.error) std::rethrow_exception(ctx.error);
    if (rc == LDAP_SYNC_REFRESH_REQUIRED)
        throw SyncRefreshRequired("the directory no longer knows the sync cookie; a full refresh is required", rc);
    // OpenLDAP refuses a cookie it cannot serve (e.g. "consumer state is newer than provider")
    // with unwillingToPerform before sending anything: for the caller that is the same answer.
    // A server without the content-synchronisation control answers unavailableCriticalExtension.
    const bool nothingYet = result.entries == 0 && ctx.idSets == 0;
    if (nothingYet && ((!req.cookie.empty() && (rc == LDAP_UNWILLING_TO_PERFORM || rc == LDAP_PROTOCOL_ERROR)) ||
                       rc == LDAP_UNAVAILABLE_CRITICAL_EXTENSION))
        throw SyncRefreshRequired("the directory refused the sync request (" + describeError(connection.native(), rc) +
                                      "); a full refresh is required",
                                  rc);
    // A pooled connection that died while idle fails before anything arrives: a plain LdapError
    // lets the pool retry on a fresh connection (IncompleteRead is never retried).
    if (nothingYet && isConnectionLost(rc))
        throw LdapError("refreshOnly sync of '" + req.base + "': " + describeError(connection.native(), rc), rc);
    if (rc != LDAP_SUCCESS) {
        std::string msg = "refreshOnly sync of '" + req.base + "' failed after " + std::to_string(result.entries) +
                          " entries: " + describeError(connection.native(), rc);
        throw IncompleteRead(msg, rc);
    }
    if (ls->ls_cookie.bv_val)
        result.cookie.assign(ls->ls_cookie.bv_val, ls->ls_cookie.bv_len);
    else
        result.cookie = req.cookie;
    return result;
}

}  // namespace rosterd::ldap
