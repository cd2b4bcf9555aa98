#pragma once
// The exception tree. Modules throw these; the edges map them: the HTTP layer to a status and
// {"detail": ...}, the CLI to an exit code and a message.
#include <stdexcept>
#include <string>

namespace rosterd {

/// Base of every rosterd error.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A configuration key is missing, malformed or unknown. `key` names it as `section.key`.
class ConfigError : public Error {
public:
    ConfigError(std::string key, const std::string& reason)
        : Error(key.empty() ? reason : key + ": " + reason), key_(std::move(key)) {}
    const std::string& key() const { return key_; }

private:
    std::string key_;
};

/// Storage failed.
class DbError : public Error {
public:
    using Error::Error;
};
/// The database cannot be reached (maps to 503; the pool reconnects by itself).
class ConnectionError : public DbError {
public:
    using DbError::DbError;
};
/// A unique, foreign-key or check constraint refused the write (SQLSTATE class 23).
class ConstraintViolation : public DbError {
public:
    using DbError::DbError;
};

/// The directory failed or cannot be reached.
class LdapError : public Error {
public:
    LdapError(const std::string& what, int code = -1) : Error(what), code_(code) {}
    int code() const { return code_; }

private:
    int code_;
};

// Domain refusals, each meaning one HTTP status at the edge.
/// 400: the input is wrong.
class InvalidInput : public Error {
public:
    using Error::Error;
};
/// 401: no valid credentials.
class Unauthenticated : public Error {
public:
    using Error::Error;
};
/// 403: authenticated but not allowed.
class PermissionDenied : public Error {
public:
    using Error::Error;
};
/// 404: the thing does not exist.
class NotFound : public Error {
public:
    using Error::Error;
};
/// 409: the request conflicts with the current state (e.g. directory-owned rows).
class Conflict : public Error {
public:
    using Error::Error;
};
/// 413: the request body is too large.
class PayloadTooLarge : public Error {
public:
    using Error::Error;
};
/// 429: too many attempts; retry after the given number of seconds.
class RateLimited : public Error {
public:
    RateLimited(const std::string& what, long retryAfterSeconds) : Error(what), retryAfter_(retryAfterSeconds) {}
    long retryAfterSeconds() const { return retryAfter_; }

private:
    long retryAfter_;
};
/// 503: a dependency (database, directory) is unavailable right now.
class Unavailable : public Error {
public:
    using Error::Error;
};

}  // namespace rosterd
