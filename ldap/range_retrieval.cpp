#include "ldap/range_retrieval.h"

#include <strings.h>

#include <charconv>

#include "ldap/ldap_error.h"

namespace rosterd::ldap {
namespace {

std::optional<std::size_t> number(const std::string& s) {
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return n;
}

// AD answers a request for one range with one ranged attribute (or, for an empty rest, none).
const Attribute* rangedAttribute(const Entry& e, const std::string& attribute, RangedName& range) {
    for (const auto& a : e.attributes) {
        auto r = parseRangedName(a.name);
        if (r && strcasecmp(r->attribute.c_str(), attribute.c_str()) == 0) {
            range = *r;
            return &a;
        }
    }
    return nullptr;
}

}  // namespace

std::optional<RangedName> parseRangedName(const std::string& description) {
    // Options are separated by ';' and case-insensitive: "member;Range=0-1499".
    for (std::size_t semi = description.find(';'); semi != std::string::npos; semi = description.find(';', semi + 1)) {
        std::size_t next = description.find(';', semi + 1);
        std::string option =
            description.substr(semi + 1, next == std::string::npos ? std::string::npos : next - semi - 1);
        if (option.size() < 6 || strncasecmp(option.c_str(), "range=", 6) != 0) continue;
        std::string bounds = option.substr(6);
        auto dash = bounds.find('-');
        if (dash == std::string::npos) return std::nullopt;
        auto low = number(bounds.substr(0, dash));
        std::string highText = bounds.substr(dash + 1);
        if (!low) return std::nullopt;
        RangedName r;
        r.attribute = description.substr(0, description.find(';'));
        r.low = *low;
        if (highText != "*") {
            r.high = number(highText);
            if (!r.high || *r.high < r.low) return std::nullopt;
        }
        return r;
    }
    return std::nullopt;
}

bool hasRanges(const Entry& entry) {
    for (const auto& a : entry.attributes)
        if (parseRangedName(a.name)) return true;
    return false;
}

void completeRanges(Connection& connection, Entry& entry, std::size_t maxValues) {
    std::vector<Attribute> kept;
    std::vector<std::pair<RangedName, std::vector<std::string>>> ranged;
    for (auto& a : entry.attributes) {
        if (auto r = parseRangedName(a.name))
            ranged.emplace_back(std::move(*r), std::move(a.values));
        else
            kept.push_back(std::move(a));
    }
    entry.attributes = std::move(kept);
    for (auto& pending : ranged) {
        // Named references, not structured bindings: clang 14 does not let a lambda capture those.
        const RangedName& range = pending.first;
        std::vector<std::string>& values = pending.second;
        RangedName at = range;
        auto bound = [&] {
            if (values.size() > maxValues)
                throw TooManyValues("'" + range.attribute + "' of '" + entry.dn + "' has more than " +
                                    std::to_string(maxValues) +
                                    " values; the read stopped there (raise [ldap] max_attribute_values to read it)");
        };
        bound();
        while (at.high) {
            const std::size_t from = *at.high + 1;
            SearchRequest req;
            req.base = entry.dn;
            req.scope = Scope::Base;
            req.attributes = {at.attribute + ";range=" + std::to_string(from) + "-*"};
            std::vector<Entry> found;
            connection.search(req, [&](std::vector<Entry>& page) {
                for (auto& e : page) found.push_back(std::move(e));
            });
            RangedName next;
            const Attribute* part = found.size() == 1 ? rangedAttribute(found.front(), at.attribute, next) : nullptr;
            // Each answer must start where the last one stopped: anything else would loop or skip values.
            if (!part || next.low != from || (next.high && *next.high < next.low))
                throw IncompleteRead("range retrieval of '" + at.attribute + "' of '" + entry.dn + "' stopped after " +
                                     std::to_string(values.size()) + " values (no range starting at " +
                                     std::to_string(from) + " in the answer)");
            values.insert(values.end(), part->values.begin(), part->values.end());
            bound();
            at = next;
        }
        auto& out = entry.valuesOf(range.attribute);
        out.insert(out.end(), std::make_move_iterator(values.begin()), std::make_move_iterator(values.end()));
    }
}

}  // namespace rosterd::ldap
