#include "common/json_parse.h"

#include <string>

#include "common/errors.h"

namespace rosterd {

namespace {
struct TooDeep {};
}  // namespace

nlohmann::json parseJson(std::string_view text, int maxDepth) {
    using Event = nlohmann::json::parse_event_t;
    // `depth` counts the containers around the one starting; throwing stops the parser at once,
    // before it reads (or allocates) anything deeper.
    auto limit = [maxDepth](int depth, Event event, nlohmann::json&) {
        if ((event == Event::object_start || event == Event::array_start) && depth >= maxDepth) throw TooDeep{};
        return true;
    };
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text.begin(), text.end(), limit, false);
    } catch (const TooDeep&) {
        throw InvalidInput("JSON nested deeper than " + std::to_string(maxDepth) + " levels");
    }
    if (j.is_discarded()) throw InvalidInput("request body is not valid JSON");
    return j;
}

nlohmann::json storedObject(std::string_view text) {
    try {
        auto j = parseJson(text);
        return j.is_object() ? j : nlohmann::json::object();
    } catch (const InvalidInput&) {
        return nlohmann::json::object();
    }
}

}  // namespace rosterd
