#pragma once
#include <chrono>
#include <cstddef>
#include <string>

namespace rosterd::accounts {

/// The [auth] section.
struct AuthConfig {
    bool enableSignup = false;  ///< self-service signup (the very first user may always sign up)
    std::string defaultUserRole = "pending";
    std::size_t passwordMinLength = 8;
    int bcryptCost = 12;
    std::string jwtSecretFile;  ///< generated with mode 0600 on first start when absent
    /// The key before the last rotation, still verifying the tokens it signed; optional file.
    std::string jwtPreviousSecretFile;
    std::chrono::milliseconds jwtExpiresIn = std::chrono::hours(24 * 28);  ///< negative: never
    bool cookieSecure = false;
    int signinMaxAttempts = 15;  ///< failed sign-ins per account and per address; 0 = unlimited
    std::chrono::milliseconds signinWindow = std::chrono::minutes(3);
    int signupMaxAttempts = 10;  ///< signup attempts per client address in signupWindow; 0 = unlimited
    std::chrono::milliseconds signupWindow = std::chrono::hours(1);
    std::string initialAdminEmail;  ///< this account becomes the primary admin while none exists
    bool showAdminDetails = true;   ///< pending users see the primary admin's name and email
    /// Set when [ldap] admin_groups / user_groups manage directory users' roles: the rule, for the
    /// 409 that refuses changing such a role through the API. Empty: roles are managed locally.
    std::string directoryRoleRule;
};

}  // namespace rosterd::accounts
