#pragma once
// Range retrieval of attribute values (Active Directory, MS-ADTS 3.1.1.3.1.3.3): a server that
// caps the values it sends per attribute (MaxValRange, 1,500 by default) names the part it sent
// "member;range=0-1499" instead of "member", and the rest is read with base searches for
// "member;range=1500-*" and on, until a range ends in "*". Without this a large group reads as
// having no "member" attribute at all.
#include <optional>
#include <string>

#include "ldap/connection.h"
#include "ldap/entry.h"

namespace rosterd::ldap {

/// An attribute description with a range option, e.g. "member;range=1500-2999".
struct RangedName {
    std::string attribute;  ///< "member"
    std::size_t low = 0;
    std::optional<std::size_t> high;  ///< nullopt for "*": the last range
};

/// Parses `description` when it carries a range option; nullopt otherwise (or when malformed).
std::optional<RangedName> parseRangedName(const std::string& description);

/// Whether any attribute of `entry` came in ranges.
bool hasRanges(const Entry& entry);

/// Reads the rest of every ranged attribute of `entry` on `connection` (already bound) and stores
/// all the values under the plain attribute name, in the server's order. Throws IncompleteRead
/// when the server stops answering ranges before the last one, TooManyValues when an attribute
/// has more than `maxValues` values ([ldap] max_attribute_values), LdapError on failure.
void completeRanges(Connection& connection, Entry& entry, std::size_t maxValues);

}  // namespace rosterd::ldap
