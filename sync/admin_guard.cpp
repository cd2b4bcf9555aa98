#include "sync/admin_guard.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <unordered_set>

#include "accounts/user_store.h"

namespace rosterd::sync {

std::size_t keepAdminsActive(db::Store& store, Plan& plan) {
    if (plan.userDeactivations.empty() && plan.userDeletes.empty()) return 0;
    struct Admin {
        std::string id;
        bool primary;
    };
    std::vector<Admin> admins;  // active admins, the primary first
    std::string primaryId;
    store.transact(
        [&](db::Transaction& tx) {
            for (const auto& a : accounts::user_store::activeAdmins(tx)) admins.push_back({a.id, a.isPrimary});
            if (auto primary = accounts::user_store::findPrimary(tx)) primaryId = primary->id;
        },
        db::TxMode::Read);

    std::unordered_set<std::string> keep;
    if (!primaryId.empty()) keep.insert(primaryId);
    std::unordered_set<std::string> leaving;
    for (const auto& r : plan.userDeactivations) leaving.insert(r.id);
    const bool anyAdminStays = std::any_of(admins.begin(), admins.end(),
                                           [&](const Admin& a) { return !leaving.count(a.id) || keep.count(a.id); });
    if (!anyAdminStays && !admins.empty()) keep.insert(admins.front().id);

    std::size_t kept = 0;
    auto filter = [&](std::vector<UserRemoval>& removals, const char* what) {
        auto end = std::remove_if(removals.begin(), removals.end(), [&](const UserRemoval& r) {
            if (!keep.count(r.id)) return false;
            const char* reason = r.id == primaryId ? "the primary admin is never removed by sync"
                                                   : "the last active admin is kept active";
            plan.skipped.push_back({"user", r.externalId, "", reason});
            spdlog::warn("sync: not {} {} ({}): {}", what, r.email, r.id, reason);
            ++kept;
            return true;
        });
        removals.erase(end, removals.end());
    };
    filter(plan.userDeactivations, "deactivating");
    filter(plan.userDeletes, "deleting");
    return kept;
}

}  // namespace rosterd::sync
