#pragma once
// A group's `meta`: a JSON object Open WebUI's client keeps on the group, bounded so a client
// cannot grow a row without limit.
#include <cstddef>
#include <nlohmann/json.hpp>

namespace rosterd::accounts {

inline constexpr std::size_t kMaxGroupMetaBytes = 16 * 1024;  ///< serialised size

/// Throws InvalidInput unless `meta` is a JSON object, PayloadTooLarge when its serialised form is
/// over kMaxGroupMetaBytes.
void checkGroupMeta(const nlohmann::json& meta);

}  // namespace rosterd::accounts
