#include "sync/current_index.h"

#include "common/stopwatch.h"

namespace rosterd::sync {

CurrentIndex::CurrentIndex(const CurrentState& state) {
    byExternalId.reserve(state.users.size());
    byEmail.reserve(state.users.size());
    for (std::uint32_t i = 0; i < state.users.size(); ++i) {
        byExternalId.emplace(state.users[i].externalId, i);
        byEmail.emplace(state.users[i].email, i);
    }
}

std::unique_ptr<IndexedState> loadIndexedState(db::Store& store) {
    const Stopwatch time;
    auto loaded = std::make_unique<IndexedState>();
    loaded->state = loadCurrentState(store);
    loaded->index.emplace(loaded->state);
    loaded->seconds = time.seconds();
    return loaded;
}

}  // namespace rosterd::sync
