#include "webhooks/signature.h"

#include <stdexcept>

#include "common/encoding.h"

namespace rosterd::webhooks {

std::string decodeSecret(std::string_view text) {
    constexpr std::string_view prefix = "whsec_";
    if (text.substr(0, prefix.size()) != prefix) throw std::invalid_argument("the secret must start with 'whsec_'");
    std::string key;
    try {
        key = base64Decode(text.substr(prefix.size()));
    } catch (const std::exception&) {
        throw std::invalid_argument("the part after 'whsec_' is not valid base64");
    }
    // Standard Webhooks asks for 24 to 64 bytes; fewer than 16 would make a weak key.
    if (key.size() < 16) throw std::invalid_argument("the secret must hold at least 16 bytes once decoded");
    return key;
}

std::string signatureHeader(std::string_view key, std::string_view id, std::int64_t timestampSeconds,
                            std::string_view body) {
    std::string signed_;
    signed_.reserve(id.size() + body.size() + 24);
    signed_.append(id).append(".").append(std::to_string(timestampSeconds)).append(".").append(body);
    return "v1," + base64Encode(hmacSha256(key, signed_));
}

}  // namespace rosterd::webhooks
