#include "ldap/entry.h"

#include <strings.h>

#include <cstdio>
#include <utility>

namespace rosterd::ldap {

const Attribute* Entry::find(const std::string& attribute) const {
    for (const auto& a : attributes)
        if (a.name.size() == attribute.size() && strcasecmp(a.name.c_str(), attribute.c_str()) == 0) return &a;
    return nullptr;
}

Attribute* Entry::find(const std::string& attribute) {
    return const_cast<Attribute*>(std::as_const(*this).find(attribute));
}

std::optional<std::string> Entry::first(const std::string& attribute) const {
    const auto& v = values(attribute);
    if (v.empty()) return std::nullopt;
    return v.front();
}

const std::vector<std::string>& Entry::values(const std::string& attribute) const {
    static const std::vector<std::string> none;
    const Attribute* a = find(attribute);
    return a ? a->values : none;
}

std::vector<std::string>& Entry::valuesOf(const std::string& attribute) {
    if (Attribute* a = find(attribute)) return a->values;
    return attributes.emplace_back(Attribute{attribute, {}}).values;
}

std::string Entry::takeFirst(const std::string& attribute) {
    Attribute* a = find(attribute);
    return a && !a->values.empty() ? std::move(a->values.front()) : std::string();
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
