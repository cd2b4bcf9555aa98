#include "accounts/password_hasher.h"

#include <crypt.h>

#include <memory>
#include <stdexcept>

#include "common/encoding.h"
#include "common/errors.h"
#include "common/random.h"

namespace rosterd::accounts {

namespace {
/// crypt_rn needs a large scratch structure; one per call keeps it thread-safe.
std::string cryptWith(const std::string& password, const std::string& setting) {
    auto data = std::make_unique<crypt_data>();
    const char* out = crypt_rn(password.c_str(), setting.c_str(), data.get(), sizeof(crypt_data));
    if (!out || out[0] == '*') throw std::runtime_error("bcrypt failed");
    return out;
}
}  // namespace

PasswordHasher::PasswordHasher(int cost) : cost_(cost) {
    if (cost < 4 || cost > 31) throw InvalidInput("bcrypt cost must be between 4 and 31");
    // Verifying costs the same whatever the hash part, so the dummy needs only a real setting
    // (cost and salt): no hash is computed at start-up, where it would delay every command.
    dummyHash_ = newSetting() + std::string(31, 'e');
}

std::string PasswordHasher::newSetting() const {
    std::string salt = randomBytes(16);
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    if (!crypt_gensalt_rn("$2b$", static_cast<unsigned long>(cost_), salt.data(), static_cast<int>(salt.size()),
                          setting, sizeof setting))
        throw std::runtime_error("crypt_gensalt_rn failed");
    return setting;
}

std::string PasswordHasher::hash(const std::string& password) const {
    if (password.size() > kBcryptMaxBytes) throw InvalidInput("password is longer than bcrypt's limit of 72 bytes");
    if (password.find('\0') != std::string::npos) throw InvalidInput("password contains a NUL byte");
    return cryptWith(password, newSetting());
}

bool PasswordHasher::verify(const std::string& password, const std::string& hash) const {
    if (password.size() > kBcryptMaxBytes || password.find('\0') != std::string::npos || hash.rfind("$2", 0) != 0)
        return false;
    try {
        return constantTimeEquals(cryptWith(password, hash), hash);
    } catch (const std::exception&) {
        return false;
    }
}

void PasswordHasher::verifyDummy(const std::string& password) const {
    std::string p = password.substr(0, kBcryptMaxBytes);
    (void)verify(p.find('\0') == std::string::npos ? p : "x", dummyHash_);
}

}  // namespace rosterd::accounts
