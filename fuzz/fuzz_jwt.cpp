// Fuzzes session token verification. The first byte picks the mode: verify the rest as a token as
// received, or treat it as "<header JSON>\n<payload JSON>" signed with the server's own secret, so
// the claim parsing behind a valid signature is reached too. Every bad token is Unauthenticated.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "accounts/token_service.h"
#include "common/clock.h"
#include "common/encoding.h"
#include "common/errors.h"

namespace {

const std::string kSecret = "fuzzing-secret-fuzzing-secret-0123456789";

/// header.payload.signature with a correct HS256 signature over whatever the parts hold.
std::string signedToken(const std::string& header, const std::string& payload) {
    std::string signingInput = rosterd::base64UrlEncode(header) + "." + rosterd::base64UrlEncode(payload);
    return signingInput + "." + rosterd::base64UrlEncode(rosterd::hmacSha256(kSecret, signingInput));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static rosterd::ManualClock clock;
    static rosterd::accounts::TokenService tokens(
        rosterd::accounts::SigningKeys(rosterd::accounts::signingKey(kSecret)), std::chrono::hours(1), clock);
    std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    std::string jwt = text;
    if (data[0] & 1) {
        auto nl = text.find('\n');
        if (nl == std::string::npos) return 0;
        jwt = signedToken(text.substr(0, nl), text.substr(nl + 1));
    }
    try {
        rosterd::accounts::TokenClaims claims = tokens.verify(jwt);
        // Accepted: it must carry what the callers rely on, and be unexpired.
        if (claims.expiresAt && *claims.expiresAt <= clock.nowSeconds()) std::abort();
    } catch (const rosterd::Unauthenticated&) {
    }
    return 0;
}
