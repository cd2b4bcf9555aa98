#include "sync/current_index.h"

namespace rosterd::sync {

CurrentIndex::CurrentIndex(const CurrentState& state) {
    byExternalId.reserve(state.users.size());
    byEmail.reserve(state.users.size());
    for (std::uint32_t i = 0; i < state.users.size(); ++i) {
        byExternalId.emplace(state.users[i].externalId, i);
        byEmail.emplace(state.users[i].email, i);
    }
}

}  // namespace rosterd::sync
