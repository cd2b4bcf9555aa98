#include "accounts/user_client_data.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "common/errors.h"

namespace rosterd::accounts {
namespace {

/// The deepest nesting of objects and arrays, counting `doc` itself as 1 (iterative: no recursion
/// on client input).
int depthOf(const nlohmann::json& doc) {
    int deepest = 0;
    std::vector<std::pair<const nlohmann::json*, int>> todo{{&doc, 1}};
    while (!todo.empty()) {
        auto [node, depth] = todo.back();
        todo.pop_back();
        if (!node->is_structured()) continue;
        deepest = std::max(deepest, depth);
        if (depth > UserClientData::kMaxDepth) return depth;
        for (const auto& child : *node) todo.emplace_back(&child, depth + 1);
    }
    return deepest;
}

}  // namespace

void UserClientData::check(const nlohmann::json& doc) {
    if (!doc.is_object()) throw InvalidInput("the document must be a JSON object");
    if (depthOf(doc) > kMaxDepth)
        throw InvalidInput("the document nests deeper than " + std::to_string(kMaxDepth) + " levels");
    if (doc.dump().size() > kMaxBytes)
        throw PayloadTooLarge("the document is larger than " + std::to_string(kMaxBytes / 1024) + " KiB");
}

nlohmann::json UserClientData::get(const std::string& userId, user_store::ClientData which) {
    auto doc = store_.transact([&](db::Transaction& tx) { return user_store::clientData(tx, userId, which); },
                               db::TxMode::Read);
    if (!doc) throw NotFound("user not found");
    return *doc;
}

nlohmann::json UserClientData::replace(const std::string& userId, user_store::ClientData which,
                                       const nlohmann::json& doc) {
    check(doc);
    bool found = store_.transact(
        [&](db::Transaction& tx) { return user_store::setClientData(tx, userId, which, doc, clock_.nowSeconds()); });
    if (!found) throw NotFound("user not found");
    return doc;
}

nlohmann::json UserClientData::merge(const std::string& userId, user_store::ClientData which,
                                     const nlohmann::json& doc) {
    if (!doc.is_object()) throw InvalidInput("the document must be a JSON object");
    return store_.transact([&](db::Transaction& tx) {
        auto current = user_store::clientData(tx, userId, which);
        if (!current) throw NotFound("user not found");
        for (const auto& [key, value] : doc.items()) (*current)[key] = value;
        check(*current);
        user_store::setClientData(tx, userId, which, *current, clock_.nowSeconds());
        return *current;
    });
}

}  // namespace rosterd::accounts
