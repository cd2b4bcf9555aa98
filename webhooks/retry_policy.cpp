#include "webhooks/retry_policy.h"

#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <cctype>

#include "common/random.h"

namespace rosterd::webhooks {

Verdict classify(const AttemptResult& r) {
    if (r.status >= 200 && r.status < 300) return Verdict::Delivered;
    if (r.status >= 400 && r.status < 500 && r.status != 408 && r.status != 429) return Verdict::Dead;
    return Verdict::Retry;
}

std::optional<std::chrono::milliseconds> parseRetryAfter(const std::string& value, std::int64_t nowMillis) {
    if (value.empty()) return std::nullopt;
    if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
        if (value.size() > 9) return std::nullopt;
        return std::chrono::seconds(std::stoll(value));
    }
    try {
        int tzd = 0;
        Poco::DateTime when = Poco::DateTimeParser::parse(value, tzd);
        std::int64_t at = when.timestamp().epochMicroseconds() / 1000 - static_cast<std::int64_t>(tzd) * 1000;
        return std::chrono::milliseconds(std::max<std::int64_t>(0, at - nowMillis));
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

RetryPolicy::RetryPolicy(const WebhooksConfig& config)
    : initial_(config.backoffInitial), max_(config.backoffMax), window_(config.retryFor) {
    std::string seed = randomBytes(8);
    std::uint64_t s = 0;
    for (unsigned char c : seed) s = (s << 8) | c;
    rng_.seed(s);
}

std::chrono::milliseconds RetryPolicy::delay(int attempts) {
    std::int64_t base = initial_.count();
    for (int i = 1; i < attempts && base < max_.count(); ++i) base *= 2;
    base = std::min(base, max_.count());
    std::uniform_int_distribution<std::int64_t> jitter(0, base / 5);
    std::lock_guard lock(mutex_);
    return std::chrono::milliseconds(base - jitter(rng_));
}

std::optional<std::int64_t> RetryPolicy::nextAttempt(int attempts, std::int64_t queuedAtMillis, std::int64_t nowMillis,
                                                     std::optional<std::chrono::milliseconds> retryAfter) {
    std::int64_t wait = retryAfter ? retryAfter->count() : delay(attempts).count();
    std::int64_t at = nowMillis + wait;
    if (at > queuedAtMillis + window_.count()) return std::nullopt;
    return at;
}

}  // namespace rosterd::webhooks
