#pragma once
#include <string>

namespace rosterd::accounts {

/// bcrypt ($2b$) through libcrypt. Hashing is slow by design: never call it inside a store transaction.
class PasswordHasher {
public:
    explicit PasswordHasher(int cost);
    /// A new salted hash. Throws InvalidInput for passwords over bcrypt's 72-byte limit.
    std::string hash(const std::string& password) const;
    /// Whether `password` matches `hash` (constant-time comparison).
    bool verify(const std::string& password, const std::string& hash) const;
    /// Spends the time of one verification without a real hash, so unknown accounts answer as slowly.
    void verifyDummy(const std::string& password) const;
    int cost() const { return cost_; }

private:
    /// "$2b$<cost>$<22 salt characters>" with a fresh random salt.
    std::string newSetting() const;
    int cost_;
    std::string dummyHash_;
};

/// bcrypt looks at no more than this many bytes of a password.
inline constexpr std::size_t kBcryptMaxBytes = 72;

}  // namespace rosterd::accounts
