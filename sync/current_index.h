#pragma once
// Lookups over the store's directory users that planning needs (by stable id, by email). Built
// on the thread that loads the state, while the directory is still being read, so planning
// itself only probes.
#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "sync/current_state.h"

namespace rosterd::sync {

struct CurrentIndex {
    /// Views into `state`, which must outlive the index with its users left unchanged (moving
    /// the state is fine: its vectors keep their storage).
    explicit CurrentIndex(const CurrentState& state);

    absl::flat_hash_map<std::string_view, std::uint32_t> byExternalId;  ///< -> index into users
    absl::flat_hash_map<std::string_view, std::uint32_t> byEmail;       ///< -> index into users
};

/// The store's side of a full run with its index, behind one pointer so neither moves.
struct IndexedState {
    CurrentState state;
    std::optional<CurrentIndex> index;
    double seconds = 0;  ///< how long loading and indexing took
};

/// Loads the current state (see loadCurrentState) and indexes it.
std::unique_ptr<IndexedState> loadIndexedState(db::Store& store);

}  // namespace rosterd::sync
