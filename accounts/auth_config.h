#pragma once
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace rosterd::accounts {

/// The [auth] section.
struct AuthConfig {
    bool enableSignup = false;              ///< self-service signup (the very first user may always sign up)
    std::string defaultUserRole = "pending";
    std::size_t passwordMinLength = 8;
    int bcryptCost = 12;
    std::string jwtSecretFile;              ///< generated with mode 0600 on first start when absent
    std::chrono::milliseconds jwtExpiresIn = std::chrono::hours(24 * 28);  ///< negative: never
    bool cookieSecure = false;
    int signinMaxAttempts = 15;             ///< failed sign-ins per account and per address; 0 = unlimited
    std::chrono::milliseconds signinWindow = std::chrono::minutes(3);
    int signupMaxAttempts = 10;             ///< signup attempts per client address in signupWindow; 0 = unlimited
    std::chrono::milliseconds signupWindow = std::chrono::hours(1);
    std::string initialAdminEmail;          ///< this account becomes the primary admin while none exists
    bool showAdminDetails = true;           ///< pending users see the primary admin's name and email
};

/// The [auth] settings in force now (the INI with the runtime settings on top). Services call it
/// for every decision instead of keeping a copy, so a change through the API applies to the next
/// request; callers keep the returned snapshot for as long as one decision takes.
using AuthConfigSource = std::function<std::shared_ptr<const AuthConfig>()>;

/// A source that always answers `config` (tools and tests without runtime settings).
inline AuthConfigSource fixedAuthConfig(AuthConfig config) {
    auto shared = std::make_shared<const AuthConfig>(std::move(config));
    return [shared] { return shared; };
}

}  // namespace rosterd::accounts
