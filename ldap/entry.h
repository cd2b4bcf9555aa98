#pragma once
// A directory entry as plain data: its DN and attribute values (raw bytes; binary attributes such
// as objectGUID stay binary). Attribute names compare case-insensitively, as in LDAP.
#include <optional>
#include <string>
#include <vector>

namespace rosterd::ldap {

struct Attribute {
    std::string name;
    std::vector<std::string> values;
};

struct Entry {
    std::string dn;
    /// In the order the server sent them; each name once. A flat list: an entry has a handful of
    /// attributes, and sync decodes a hundred thousand entries per run.
    std::vector<Attribute> attributes;

    /// The first value of `attribute`, if the entry has one.
    std::optional<std::string> first(const std::string& attribute) const;
    /// All values of `attribute` (empty when absent).
    const std::vector<std::string>& values(const std::string& attribute) const;
    /// The values of `attribute` to fill in, added empty when absent.
    std::vector<std::string>& valuesOf(const std::string& attribute);
    /// Moves the first value of `attribute` out of the entry ("" when absent), for a reader that
    /// needs each attribute once.
    std::string takeFirst(const std::string& attribute);
    /// The attribute named `attribute` (case-insensitively), or null.
    const Attribute* find(const std::string& attribute) const;
    Attribute* find(const std::string& attribute);
};

/// 16 raw bytes as an RFC 4122 UUID string in network byte order (entryUUID in sync controls).
std::string formatUuid(const std::string& bytes);
/// 16 raw bytes of an Active Directory objectGUID as its canonical string (the first three
/// fields are little-endian on the wire).
std::string formatGuid(const std::string& bytes);
/// The entry's stable id from `idAttribute`: objectGUID is rendered with formatGuid, anything
/// else taken as text. Empty when the entry lacks it.
std::string stableId(const Entry& entry, const std::string& idAttribute);

}  // namespace rosterd::ldap
