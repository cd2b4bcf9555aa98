#pragma once
// Typed directory errors. Codes are libldap result codes (negative ones are client-side).
#include <string>

#include "common/errors.h"

namespace rosterd::ldap {

/// No configured URL could be reached (every one refused, timed out or failed TLS).
class Unreachable : public LdapError {
public:
    using LdapError::LdapError;
};

/// A search ended before delivering every entry (size/time limit, dropped connection, failed
/// page). Callers that infer absences from a read must not do so after this.
class IncompleteRead : public LdapError {
public:
    using LdapError::LdapError;
};

/// A search base that must exist does not (noSuchObject, result 32): a misspelt base or one the
/// service account may not see, which must never read as "no entries".
class BaseNotFound : public LdapError {
public:
    using LdapError::LdapError;
};

/// An attribute read in ranges has more values than [ldap] max_attribute_values: the read stops
/// there rather than go on for as long as the server sends ranges.
class TooManyValues : public LdapError {
public:
    using LdapError::LdapError;
};

/// The server forgot the sync cookie (RFC 4533 e-syncRefreshRequired): start over without one.
class SyncRefreshRequired : public LdapError {
public:
    using LdapError::LdapError;
};

/// Whether a libldap code means the connection itself is gone (so a fresh one may succeed).
bool isConnectionLost(int code);

}  // namespace rosterd::ldap
