#pragma once
// Standard Webhooks signing (https://www.standardwebhooks.com/): HMAC-SHA256 over
// "<webhook-id>.<webhook-timestamp>.<body>" keyed with the decoded whsec_ secret.
#include <cstdint>
#include <string>
#include <string_view>

namespace rosterd::webhooks {

/// Decodes "whsec_<base64>" to the key bytes; throws std::invalid_argument when malformed or empty.
std::string decodeSecret(std::string_view text);
/// The webhook-signature header value: "v1,<base64 HMAC-SHA256>".
std::string signatureHeader(std::string_view key, std::string_view id, std::int64_t timestampSeconds,
                            std::string_view body);

}  // namespace rosterd::webhooks
