#pragma once
// The comparison key of a DN (see dnKey in directory.h): ASCII letters lower-cased, blanks after
// a comma dropped. The key of a DN is never longer than the DN.
#include <cstddef>
#include <string_view>

namespace rosterd::sync {

/// True when `dn` is its own key (the usual case: servers send DNs as stored, mostly lower case
/// without blanks after commas), so it can be looked up as it is, without a copy.
bool isDnKey(std::string_view dn);
/// Writes the key of `dn` to `out` (room for dn.size() characters); returns its length.
std::size_t writeDnKey(std::string_view dn, char* out);

}  // namespace rosterd::sync
