#include "sync/group_index.h"

#include <absl/container/flat_hash_set.h>

#include <algorithm>

#include "sync/dn_key.h"

namespace rosterd::sync {
namespace {

constexpr std::size_t kKeyBlock = 64 * 1024;

// Keeps the records whose flag is set, in order, compacted in place. The flags are decided first
// because the checks hold views into the records.
void keepOnly(std::vector<DirGroup>& records, const std::vector<bool>& keep) {
    std::size_t kept = 0;
    for (std::size_t r = 0; r < records.size(); ++r) {
        if (!keep[r]) continue;
        if (kept != r) records[kept] = std::move(records[r]);
        ++kept;
    }
    records.resize(kept);
}

}  // namespace

std::string_view DnKeys::add(const std::string& dn) {
    std::string scratch;
    const std::string_view key = memberKey(dn, false, scratch);
    return key.data() == dn.data() ? key : copy(key);
}

std::string_view DnKeys::copy(std::string_view key) {
    if (blocks_.empty() || used_ + key.size() > blockSize_) {
        blockSize_ = std::max(kKeyBlock, key.size());
        blocks_.push_back(std::make_unique<char[]>(blockSize_));
        used_ = 0;
    }
    char* start = blocks_.back().get() + used_;
    std::copy(key.begin(), key.end(), start);
    used_ += key.size();
    return {start, key.size()};
}

std::string_view memberKey(const std::string& value, bool byUsername, std::string& scratch) {
    if (byUsername || isDnKey(value)) return value;
    scratch.resize(value.size());
    scratch.resize(writeDnKey(value, scratch.data()));
    return scratch;
}

IndexedGroups indexGroups(std::vector<DirGroup> groups, bool membersAreUsernames) {
    IndexedGroups out;
    std::vector<bool> keep(groups.size(), false);
    {
        absl::flat_hash_set<std::string_view> ids, names;  // views into `groups`, not moved yet
        for (std::size_t r = 0; r < groups.size(); ++r) {
            const DirGroup& g = groups[r];
            if (g.id.empty()) {
                out.skipped.push_back({"group", "", g.dn, "entry has no stable id"});
                continue;
            }
            if (g.name.empty()) {
                out.skipped.push_back({"group", g.id, g.dn, "entry has no name"});
                continue;
            }
            if (!ids.insert(g.id).second) {
                out.skipped.push_back({"group", g.id, g.dn, "stable id seen twice"});
                continue;
            }
            if (!names.insert(g.name).second) {
                out.skipped.push_back({"group", g.id, g.dn, "duplicate group name " + g.name});
                continue;
            }
            keep[r] = true;
        }
    }
    keepOnly(groups, keep);
    out.groups = std::move(groups);  // from here on the records stay put: the views below point into them

    out.byDn.reserve(out.groups.size());
    for (std::uint32_t i = 0; i < out.groups.size(); ++i) out.byDn.emplace(out.keys->add(out.groups[i].dn), i);
    for (std::uint32_t i = 0; i < out.groups.size(); ++i)
        if (!out.groups[i].sid.empty()) out.bySid.emplace(out.groups[i].sid, i);

    // (key number, group) for every member value, then grouped by key (counting sort, stable,
    // so each key's groups stay ascending and a repeated value is adjacent to its twin).
    std::size_t values = 0;
    for (const auto& g : out.groups) values += g.members.size();
    out.memberKeys.reserve(values / 2);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
    pairs.reserve(values);
    std::string scratch;
    for (std::uint32_t gi = 0; gi < out.groups.size(); ++gi) {
        for (const auto& m : out.groups[gi].members) {
            const std::string_view key = memberKey(m, membersAreUsernames, scratch);
            auto it = out.memberKeys.find(key);
            if (it == out.memberKeys.end()) {
                // Each distinct key once, compactly: the member values themselves (one string
                // per membership) are let go below, while the directory is still being read.
                const std::string_view kept = out.keys->copy(key);
                it = out.memberKeys.emplace(kept, static_cast<std::uint32_t>(out.keyOf.size())).first;
                out.keyOf.push_back(kept);
            }
            pairs.emplace_back(it->second, gi);
        }
        std::vector<std::string>().swap(out.groups[gi].members);
    }
    out.offsets.assign(out.keyOf.size() + 1, 0);
    for (const auto& [k, gi] : pairs) ++out.offsets[k + 1];
    for (std::size_t k = 0; k < out.keyOf.size(); ++k) out.offsets[k + 1] += out.offsets[k];
    std::vector<std::uint32_t> fill(out.offsets.begin(), out.offsets.end() - 1);
    out.listers.resize(pairs.size());
    for (const auto& [k, gi] : pairs) out.listers[fill[k]++] = gi;
    // Drop a group listed twice under one key (the same member written twice, or in two spellings).
    std::size_t w = 0;
    for (std::size_t k = 0; k < out.keyOf.size(); ++k) {
        const std::size_t from = out.offsets[k], to = out.offsets[k + 1];
        out.offsets[k] = static_cast<std::uint32_t>(w);
        std::uint32_t previous = UINT32_MAX;
        for (std::size_t i = from; i < to; ++i) {
            const std::uint32_t gi = out.listers[i];  // read before this slot may be overwritten
            if (gi != previous) out.listers[w++] = gi;
            previous = gi;
        }
    }
    out.offsets[out.keyOf.size()] = static_cast<std::uint32_t>(w);
    out.listers.resize(w);
    return out;
}

}  // namespace rosterd::sync
