#include "common/random.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "common/encoding.h"

namespace rosterd {

std::string randomBytes(std::size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("OpenSSL RAND_bytes failed");
    return out;
}

namespace {

// 16 random bytes for an id, drawn from a per-thread buffer that OpenSSL fills 4 KiB at a time:
// sync makes an id for every created row and event, and one RAND_bytes call per id cost more
// than the rest of making it. The buffer is refilled after a fork, so a child never repeats it.
void idBytes(unsigned char out[16]) {
    struct Pool {
        unsigned char bytes[4096];
        std::size_t used = sizeof bytes;
        pid_t pid = 0;
    };
    thread_local Pool pool;
    if (pool.used + 16 > sizeof pool.bytes || pool.pid != ::getpid()) {
        if (RAND_bytes(pool.bytes, sizeof pool.bytes) != 1) throw std::runtime_error("OpenSSL RAND_bytes failed");
        pool.used = 0;
        pool.pid = ::getpid();
    }
    std::memcpy(out, pool.bytes + pool.used, 16);
    OPENSSL_cleanse(pool.bytes + pool.used, 16);  // handed out once only
    pool.used += 16;
}

// The canonical 8-4-4-4-12 text of 16 bytes.
std::string uuidText(const unsigned char b[16]) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(36, '-');
    std::size_t o = 0;
    for (int i = 0; i < 16; ++i) {
        if (o == 8 || o == 13 || o == 18 || o == 23) ++o;
        out[o++] = kHex[b[i] >> 4];
        out[o++] = kHex[b[i] & 0x0f];
    }
    return out;
}

}  // namespace

std::string newUuid() {
    unsigned char b[16];
    idBytes(b);
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
    return uuidText(b);
}

std::string newTimeOrderedUuid() {
    unsigned char b[16];
    idBytes(b);
    const auto ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>((ms >> (8 * (5 - i))) & 0xff);
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x70);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
    return uuidText(b);
}

std::string randomToken(std::size_t n) { return base64UrlEncode(randomBytes(n)); }

}  // namespace rosterd
