#pragma once
// What an attempt's outcome means (delivered / retry later / dead) and when to try again.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "webhooks/webhook_config.h"

namespace rosterd::webhooks {

/// The result of one POST.
struct AttemptResult {
    int status = 0;                                       ///< HTTP status; 0 when no response arrived
    std::string error;                                    ///< why it failed (empty when delivered)
    bool timedOut = false;                                ///< no answer within the endpoint's timeout
    std::optional<std::chrono::milliseconds> retryAfter;  ///< from a 429/503 Retry-After header
};

enum class Verdict { Delivered, Retry, Dead };

/// 2xx delivered; 408, 429, 5xx, 3xx and no answer retried; every other 4xx dead at once.
Verdict classify(const AttemptResult& r);

/// Parses Retry-After: delay-seconds or an HTTP date (relative to nowMillis). nullopt if malformed.
std::optional<std::chrono::milliseconds> parseRetryAfter(const std::string& value, std::int64_t nowMillis);

class RetryPolicy {
public:
    explicit RetryPolicy(const WebhooksConfig& config);
    /// The delay before attempt number `attempts + 1` after `attempts` failures (>= 1):
    /// initial * 2^(attempts-1), capped at the maximum, minus up to 20% jitter so that
    /// endpoints failing together do not retry in lock-step.
    std::chrono::milliseconds delay(int attempts);
    /// When to try next, or nullopt when the retry window (from queuedAtMillis) is exhausted.
    std::optional<std::int64_t> nextAttempt(int attempts, std::int64_t queuedAtMillis, std::int64_t nowMillis,
                                            std::optional<std::chrono::milliseconds> retryAfter);

private:
    std::chrono::milliseconds initial_;
    std::chrono::milliseconds max_;
    std::chrono::milliseconds window_;
    std::mutex mutex_;  // workers share one generator
    std::mt19937_64 rng_;
};

}  // namespace rosterd::webhooks
