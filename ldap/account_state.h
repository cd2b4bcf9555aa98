#pragma once
// Whether an Active Directory user entry may be used, from the entry itself: userAccountControl's
// ACCOUNTDISABLE bit (0x2) and accountExpires (a FILETIME: 100 ns ticks since 1601-01-01 UTC,
// where 0 and 0x7FFFFFFFFFFFFFFF mean "never").
#include <cstdint>
#include <string>

#include "ldap/entry.h"

namespace rosterd::ldap {

inline constexpr const char* kUserAccountControl = "userAccountControl";
inline constexpr const char* kAccountExpires = "accountExpires";

/// Why the account may not be used at `nowUnixSeconds` ("disabled in the directory
/// (userAccountControl)", "expired in the directory on 2020-01-01T00:00:00Z (accountExpires)"), or
/// "" when it may. Values that do not parse count as absent.
std::string accountStateReason(const Entry& entry, std::int64_t nowUnixSeconds);

/// accountExpires as Unix seconds; -1 for "never" (0, the maximum, or a value that does not parse).
std::int64_t accountExpiresUnix(const std::string& fileTime);

}  // namespace rosterd::ldap
