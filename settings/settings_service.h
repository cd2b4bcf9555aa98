#pragma once
// Runtime settings: "section.key" -> value pairs (spelled as in the INI) that an admin changed
// through the API, stored so that every replica applies them and they survive restarts. The INI
// gives the first value, a stored one wins. This module does not know what a key means: the
// caller validates the stored settings with the change on top (as check-config validates the INI)
// before anything is written.
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "common/clock.h"
#include "db/store.h"
#include "webhooks/outbox.h"

namespace rosterd::settings {

struct Snapshot {
    std::int64_t version = 0;                   ///< bumped by every stored change
    std::map<std::string, std::string> values;  ///< secrets included: never render them
};

/// Throws (e.g. ConfigError) when `merged`, the stored settings with a change on top, must not be stored.
using Validator = std::function<void(const std::map<std::string, std::string>& merged)>;

class SettingsService {
public:
    SettingsService(db::Store& store, webhooks::Outbox& outbox, const Clock& clock);
    /// Every stored setting and the version.
    Snapshot load() const;
    /// The version alone (a cheap poll for changes made by another replica).
    std::int64_t version() const;
    /// Stores `changes` in one transaction with a settings.changed event, once `validate` accepted
    /// the merged settings; when it throws, the exception propagates and nothing is written. A
    /// change that leaves every value as it was writes nothing. Returns the settings now stored.
    Snapshot update(const std::map<std::string, std::string>& changes, const std::string& actorId,
                    const Validator& validate);
    /// True for keys whose values are secrets: write-only at the API, absent from events and logs.
    static bool isSecret(const std::string& key);

private:
    db::Store& store_;
    webhooks::Outbox& outbox_;
    const Clock& clock_;
};

}  // namespace rosterd::settings
