#pragma once
// Active Directory security identifiers (objectSid) in their binary form: revision, count of
// sub-authorities, a 48-bit identifier authority (big-endian) and up to 15 sub-authorities of 32
// bits (little-endian). The last sub-authority of an account or group is its RID; the rest names
// the domain. A user's primary group is named only by a RID (primaryGroupID) in the user's domain.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rosterd::ldap {

constexpr const char* kObjectSid = "objectSid";
constexpr const char* kPrimaryGroupId = "primaryGroupID";

struct Sid {
    std::string domain;  ///< "S-1-5-21-x-y-z": the SID without its last sub-authority
    std::uint32_t rid = 0;
    /// The whole SID as text, "S-1-5-21-x-y-z-rid".
    std::string text() const { return domain + "-" + std::to_string(rid); }
};

/// The SID in `bytes`; nullopt unless it is well formed: revision 1, 1 to 15 sub-authorities and
/// exactly the length they need.
std::optional<Sid> parseSid(std::string_view bytes);
/// A RID as AD writes primaryGroupID (decimal, at most 32 bits); nullopt otherwise.
std::optional<std::uint32_t> parseRid(std::string_view text);
/// The binary SID `sid` with its RID replaced by `rid` (a well-formed SID, as parseSid accepts).
std::string withRid(std::string_view sid, std::uint32_t rid);

}  // namespace rosterd::ldap
