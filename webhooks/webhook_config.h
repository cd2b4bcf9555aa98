#pragma once
// Settings of the webhooks module: the [webhooks] section and one EndpointConfig per
// [webhook.NAME] section. Read by daemon/config_webhooks.cpp.
#include <chrono>
#include <string>
#include <vector>

namespace rosterd::webhooks {

/// How the request body is shaped for the receiver.
enum class Format { Standard, OpenWebUi, Slack, Discord, Teams };

/// "standard", "openwebui", "slack", "discord", "teams".
const char* formatName(Format f);
/// The inverse of formatName; throws std::invalid_argument for anything else.
Format parseFormat(const std::string& name);

struct EndpointConfig {
    std::string name;                      ///< the NAME of [webhook.NAME]; deliveries are keyed by it
    std::string url;                       ///< http:// or https://
    std::vector<std::string> events{"*"};  ///< patterns: "*", "user.*", "group.created"
    std::string secret;                    ///< decoded bytes of the whsec_ secret; empty: unsigned
    Format format = Format::Standard;
    std::chrono::milliseconds timeout{10'000};
    std::string caFile;  ///< HTTPS: trust these CAs instead of the system ones
};

struct WebhooksConfig {
    /// Delivered rows (and fanned-out events nobody needs any more) are pruned after this.
    std::chrono::milliseconds retention{7LL * 24 * 3600 * 1000};
    /// First retry delay; doubles per attempt up to backoffMax.
    std::chrono::milliseconds backoffInitial{5'000};
    std::chrono::milliseconds backoffMax{3'600'000};
    /// A delivery still failing this long after it was queued is marked dead.
    std::chrono::milliseconds retryFor{3LL * 24 * 3600 * 1000};
    /// Background threads delivering; one endpoint is served by one thread at a time.
    int workers = 4;
    /// Deliveries taken per endpoint per round (sent in order over one connection).
    int batchSize = 100;
    /// How often workers look for due retries when nothing wakes them.
    std::chrono::milliseconds pollInterval{1'000};
    std::vector<EndpointConfig> endpoints;
};

}  // namespace rosterd::webhooks
