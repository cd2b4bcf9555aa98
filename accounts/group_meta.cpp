#include "accounts/group_meta.h"

#include <string>

#include "common/errors.h"

namespace rosterd::accounts {

void checkGroupMeta(const nlohmann::json& meta) {
    if (!meta.is_object()) throw InvalidInput("meta must be a JSON object");
    std::size_t size = meta.dump().size();
    if (size > kMaxGroupMetaBytes)
        throw PayloadTooLarge("meta is " + std::to_string(size) + " bytes; at most " +
                              std::to_string(kMaxGroupMetaBytes) + " are kept");
}

}  // namespace rosterd::accounts
