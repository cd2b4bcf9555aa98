#include "ldap/ldap_error.h"

#include "ldap/handles.h"
#include "ldap/ldap_error_internal.h"

namespace rosterd::ldap {

bool isConnectionLost(int code) {
    return code == LDAP_SERVER_DOWN || code == LDAP_CONNECT_ERROR || code == LDAP_UNAVAILABLE || code == LDAP_BUSY ||
           code == LDAP_TIMEOUT;
}

std::string describeError(LDAP* ld, int code) {
    std::string msg = ldap_err2string(code);
    if (ld) {
        char* raw = nullptr;
        if (ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &raw) == LDAP_OPT_SUCCESS && raw) {
            LdapString diag(raw);
            if (*diag) msg += " (" + std::string(diag.get()) + ")";
        }
    }
    return msg;
}

void fail(LDAP* ld, int code, const std::string& what) {
    std::string msg = what + ": " + describeError(ld, code);
    if (code == LDAP_SIZELIMIT_EXCEEDED || code == LDAP_TIMELIMIT_EXCEEDED || code == LDAP_ADMINLIMIT_EXCEEDED)
        throw IncompleteRead(msg, code);
    if (code == LDAP_SYNC_REFRESH_REQUIRED) throw SyncRefreshRequired(msg, code);
    throw LdapError(msg, code);
}

void check(LDAP* ld, int code, const std::string& what) {
    if (code != LDAP_SUCCESS) fail(ld, code, what);
}

}  // namespace rosterd::ldap
