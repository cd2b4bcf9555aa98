#include "daemon/router.h"

namespace rosterd::daemon {

std::vector<std::string> splitPath(const std::string& path) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        std::size_t end = path.find('/', pos);
        if (end == std::string::npos) end = path.size();
        if (end > pos) out.push_back(path.substr(pos, end - pos));
        pos = end + 1;
    }
    return out;
}

void Router::add(const std::string& method, const std::string& pattern, Handler handler, std::size_t maxBodyBytes) {
    routes_.push_back(Route{method, pattern, splitPath(pattern), std::move(handler), maxBodyBytes});
}

Router::Match Router::match(HttpRequest& req) const {
    auto segments = splitPath(req.path);
    Match result;
    // Literal segments beat {params}: "/users/search" must not be taken by "/users/{id}".
    int bestScore = -1;
    for (const auto& r : routes_) {
        if (r.segments.size() != segments.size()) continue;
        int score = 0;
        bool ok = true;
        for (std::size_t i = 0; i < segments.size() && ok; ++i) {
            const auto& s = r.segments[i];
            bool param = s.size() > 2 && s.front() == '{' && s.back() == '}';
            if (!param && s != segments[i]) ok = false;
            if (!param) score += 1 << (segments.size() - i);
        }
        if (!ok) continue;
        if (r.method != req.method && !(req.method == "HEAD" && r.method == "GET")) {
            result.pathKnown = true;
            continue;
        }
        if (score > bestScore) {
            bestScore = score;
            result.handler = &r.handler;
            result.pattern = r.pattern;
            result.maxBodyBytes = r.maxBodyBytes;
            req.pathParams.clear();
            for (std::size_t i = 0; i < segments.size(); ++i) {
                const auto& s = r.segments[i];
                if (s.size() > 2 && s.front() == '{' && s.back() == '}')
                    req.pathParams[s.substr(1, s.size() - 2)] = segments[i];
            }
        }
    }
    return result;
}

std::vector<std::string> Router::routes() const {
    std::vector<std::string> out;
    for (const auto& r : routes_) out.push_back(r.method + " " + r.pattern);
    return out;
}

}  // namespace rosterd::daemon
