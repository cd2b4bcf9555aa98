#include "ldap/entry.h"

#include <strings.h>

#include <cstdio>

namespace rosterd::ldap {

namespace {

bool sameName(const std::string& a, const std::string& b) {
    return a.size() == b.size() && strcasecmp(a.c_str(), b.c_str()) == 0;
}

}  // namespace

std::optional<std::string> Entry::first(const std::string& attribute) const {
    const auto& v = values(attribute);
    if (v.empty()) return std::nullopt;
    return v.front();
}

const std::vector<std::string>& Entry::values(const std::string& attribute) const {
    static const std::vector<std::string> none;
    for (const auto& a : attributes)
        if (sameName(a.name, attribute)) return a.values;
    return none;
}

std::vector<std::string>& Entry::valuesOf(const std::string& attribute) {
    for (auto& a : attributes)
        if (sameName(a.name, attribute)) return a.values;
    attributes.push_back({attribute, {}});
    return attributes.back().values;
}

std::string Entry::takeFirst(const std::string& attribute) {
    for (auto& a : attributes)
        if (sameName(a.name, attribute) && !a.values.empty()) return std::move(a.values.front());
    return "";
}

namespace {
std::string formatBytes(const unsigned char* b) {
    char buf[37];
    std::snprintf(buf, sizeof buf, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                  b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    return buf;
}
}  // namespace

std::string formatUuid(const std::string& bytes) {
    if (bytes.size() != 16) return "";
    return formatBytes(reinterpret_cast<const unsigned char*>(bytes.data()));
}

std::string formatGuid(const std::string& bytes) {
    if (bytes.size() != 16) return "";
    const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
    unsigned char r[16] = {b[3], b[2], b[1],  b[0],  b[5],  b[4],  b[7],  b[6],
                           b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]};
    return formatBytes(r);
}

std::string stableId(const Entry& entry, const std::string& idAttribute) {
    auto v = entry.first(idAttribute);
    if (!v) return "";
    if (strcasecmp(idAttribute.c_str(), "objectGUID") == 0 && v->size() == 16) return formatGuid(*v);
    return *v;
}

}  // namespace rosterd::ldap
