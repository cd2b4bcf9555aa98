#pragma once
// Putting untrusted text into filters (RFC 4515) and DNs (RFC 4514), both through libldap.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rosterd::ldap {

/// `value` with `*`, `(`, `)`, `\` and NUL escaped as \XX so it matches only itself in a filter.
std::string escapeFilterValue(std::string_view value);
/// `(attribute=<escaped value>)`.
std::string equalityFilter(const std::string& attribute, std::string_view value);

/// One attribute-value assertion of an RDN.
struct Ava {
    std::string attribute;
    std::string value;  ///< unescaped
    bool operator==(const Ava&) const = default;
};
using Rdn = std::vector<Ava>;  ///< usually one AVA; several for multi-valued RDNs

/// Splits a DN into its RDNs (first = leftmost), unescaping values. Throws LdapError
/// (LDAP_INVALID_DN_SYNTAX) on a malformed DN.
std::vector<Rdn> parseDn(const std::string& dn);
/// Builds the RFC 4514 string of `rdns`, escaping values.
std::string formatDn(const std::vector<Rdn>& rdns);
/// `attribute=<escaped value>,parent`.
std::string childDn(const std::string& attribute, const std::string& value, const std::string& parent);
/// The DN re-rendered in RFC 4514 form with attribute types lower-cased, for comparisons.
std::string normalizeDn(const std::string& dn);
/// Whether two DNs name the same entry (types and values compared case-insensitively, which is
/// how the usual naming attributes cn, uid, ou, dc match).
bool sameDn(const std::string& a, const std::string& b);
/// Whether `dn` is `base` or below it.
bool isUnder(const std::string& dn, const std::string& base);
/// The same over DNs already split by parseDn (for many DNs against one base).
bool isUnder(const std::vector<Rdn>& dn, const std::vector<Rdn>& base);

}  // namespace rosterd::ldap
