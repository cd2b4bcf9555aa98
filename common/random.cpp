#include "common/random.h"

#include <chrono>
#include <cstdint>

#include <openssl/rand.h>

#include <stdexcept>

#include "common/encoding.h"

namespace rosterd {

std::string randomBytes(std::size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("OpenSSL RAND_bytes failed");
    return out;
}

std::string newUuid() {
    std::string b = randomBytes(16);
    b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
    std::string hex = hexEncode(b);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string newTimeOrderedUuid() {
    std::string b = randomBytes(16);
    const auto ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    for (int i = 0; i < 6; ++i) b[static_cast<std::size_t>(i)] = static_cast<char>((ms >> (8 * (5 - i))) & 0xff);
    b[6] = static_cast<char>((b[6] & 0x0f) | 0x70);
    b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
    std::string hex = hexEncode(b);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
           hex.substr(20);
}

std::string randomToken(std::size_t n) { return base64UrlEncode(randomBytes(n)); }

}  // namespace rosterd
