#include "ldap/sid.h"

#include <charconv>

namespace rosterd::ldap {
namespace {

constexpr std::size_t kHeader = 8;  // revision, count, identifier authority
constexpr unsigned kMaxSubAuthorities = 15;

std::uint32_t subAuthority(std::string_view bytes, std::size_t i) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data()) + kHeader + 4 * i;
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
}

}  // namespace

std::optional<Sid> parseSid(std::string_view bytes) {
    if (bytes.size() < kHeader) return std::nullopt;
    const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
    const unsigned count = b[1];
    if (b[0] != 1 || count == 0 || count > kMaxSubAuthorities || bytes.size() != kHeader + 4 * count)
        return std::nullopt;
    std::uint64_t authority = 0;
    for (int i = 2; i < 8; ++i) authority = authority << 8 | b[i];
    Sid sid;
    sid.domain = "S-1-" + std::to_string(authority);
    for (unsigned i = 0; i + 1 < count; ++i) sid.domain += "-" + std::to_string(subAuthority(bytes, i));
    sid.rid = subAuthority(bytes, count - 1);
    return sid;
}

std::optional<std::uint32_t> parseRid(std::string_view text) {
    std::uint32_t rid = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), rid);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return rid;
}

std::string withRid(std::string_view sid, std::uint32_t rid) {
    std::string out(sid);
    const std::size_t at = out.size() - 4;
    for (int i = 0; i < 4; ++i) out[at + i] = static_cast<char>(rid >> (8 * i) & 0xff);
    return out;
}

}  // namespace rosterd::ldap
