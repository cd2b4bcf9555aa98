#pragma once
// A user's role and an account's source. Code compares these values; their text form exists
// only where a row is read or written (the stores) and at the JSON and configuration edges.
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace rosterd::accounts {

enum class Role { Pending, User, Admin };
/// Who owns an account or group: rosterd itself, or the directory.
enum class Source { Local, Ldap };

/// Every role, in the order the database's CHECK lists them.
inline constexpr std::array<Role, 3> kAllRoles = {Role::Pending, Role::User, Role::Admin};
/// Every source, in the order the database's CHECK lists them.
inline constexpr std::array<Source, 2> kAllSources = {Source::Local, Source::Ldap};

/// "pending", "user" or "admin".
std::string_view roleName(Role role);
/// The role named `name` (exactly as roleName spells it), nullopt for anything else.
std::optional<Role> parseRole(std::string_view name);
/// "local" or "ldap".
std::string_view sourceName(Source source);
/// The source named `name`, nullopt for anything else.
std::optional<Source> parseSource(std::string_view name);

/// A role read from a stored row; throws DbError when the row holds something else.
Role roleFromRow(std::string_view name);
/// A source read from a stored row; throws DbError when the row holds something else.
Source sourceFromRow(std::string_view name);

}  // namespace rosterd::accounts
