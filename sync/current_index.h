#pragma once
// Lookups over the store's directory users that planning needs (by stable id, by email). Built
// on the thread that loads the state, while the directory is still being read, so planning
// itself only probes.
#include <cstdint>
#include <string_view>

#include <absl/container/flat_hash_map.h>

#include "sync/current_state.h"

namespace rosterd::sync {

struct CurrentIndex {
    /// Views into `state`, which must outlive the index with its users left unchanged (moving
    /// the state is fine: its vectors keep their storage).
    explicit CurrentIndex(const CurrentState& state);

    absl::flat_hash_map<std::string_view, std::uint32_t> byExternalId;  ///< -> index into users
    absl::flat_hash_map<std::string_view, std::uint32_t> byEmail;       ///< -> index into users
};

}  // namespace rosterd::sync
