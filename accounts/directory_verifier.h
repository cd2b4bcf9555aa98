#pragma once
// The directory's side of a directory sign-in, as the sign-in policy needs it: "does this login
// name and password belong to one entry, and what does the entry say". Implemented over LDAP by
// the daemon, so accounts/ stays free of the directory protocol.
#include <optional>
#include <string>

#include "accounts/directory_login.h"

namespace rosterd::accounts {

/// The outcome of a check: the account when the directory vouched for it, else why not (for the
/// log only; the client always gets one generic answer).
struct DirectoryCheck {
    std::optional<DirectoryAccount> account;
    std::string refusal;
    /// Set when the caller may be told why (the directory said the account is locked, disabled or
    /// expired, or its password expired, only after checking the password): the answer's message
    /// instead of the generic one.
    std::string clientMessage{};
};

class DirectoryVerifier {
public:
    virtual ~DirectoryVerifier() = default;
    /// Looks `loginName` up and binds as the entry with `password`. An unknown or ambiguous name
    /// costs the same directory work as a wrong password (a bind all the same), so the answer's
    /// timing tells nothing. Throws Unavailable when the directory cannot answer, InvalidInput when
    /// the verified entry lacks what an account needs (its mail or stable id).
    virtual DirectoryCheck verify(const std::string& loginName, const std::string& password) = 0;
};

}  // namespace rosterd::accounts
