// [webhooks] and every [webhook.NAME] section.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/errors.h"
#include "daemon/config.h"
#include "daemon/credentials.h"
#include "webhooks/event_filter.h"
#include "webhooks/signature.h"

namespace rosterd::daemon {
namespace {

std::string readSecretFile(const std::string& key, const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError(key, "cannot read '" + path + "'");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    auto notSpace = [](unsigned char c) { return !std::isspace(c); };
    text.erase(text.begin(), std::find_if(text.begin(), text.end(), notSpace));
    text.erase(std::find_if(text.rbegin(), text.rend(), notSpace).base(), text.end());
    try {
        return webhooks::decodeSecret(text);
    } catch (const std::invalid_argument& e) {
        throw ConfigError(key, "'" + path + "': " + e.what());  // never the secret itself
    }
}

void requirePositive(const std::string& key, std::chrono::milliseconds d) {
    if (d.count() <= 0) throw ConfigError(key, "must be a positive duration");
}

webhooks::EndpointConfig readEndpoint(ConfigReader& r, const std::string& section) {
    webhooks::EndpointConfig e;
    e.name = section.substr(std::string("webhook.").size());
    if (e.name.empty() || !std::all_of(e.name.begin(), e.name.end(),
                                       [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; }))
        throw ConfigError(section, "endpoint names use letters, digits, '_' and '-' only");
    e.url = r.str(section, "url", "");
    if (e.url.rfind("http://", 0) != 0 && e.url.rfind("https://", 0) != 0)
        throw ConfigError(section + ".url", e.url.empty() ? "is required" : "must start with http:// or https://");
    e.events = r.list(section, "events", e.events);
    try {
        webhooks::validateEventPatterns(e.events);
    } catch (const std::invalid_argument& ex) {
        throw ConfigError(section + ".events", ex.what());
    }
    try {
        e.format = webhooks::parseFormat(r.str(section, "format", "standard"));
    } catch (const std::invalid_argument& ex) {
        throw ConfigError(section + ".format", ex.what());
    }
    std::string secretFile = secretFilePath(section + ".secret_file", r.str(section, "secret_file", ""));
    if (!secretFile.empty()) e.secret = readSecretFile(section + ".secret_file", secretFile);
    if (e.format == webhooks::Format::Standard && e.secret.empty())
        throw ConfigError(section + ".secret_file",
                          "is required for format = standard (a file holding whsec_<base64>)");
    e.timeout = r.duration(section, "timeout", e.timeout);
    requirePositive(section + ".timeout", e.timeout);
    e.caFile = r.str(section, "ca_file", "");
    if (!e.caFile.empty() && !std::filesystem::exists(e.caFile))
        throw ConfigError(section + ".ca_file", "'" + e.caFile + "' does not exist");
    if (!e.caFile.empty() && e.url.rfind("https://", 0) != 0)
        throw ConfigError(section + ".ca_file", "only applies to https:// URLs");
    return e;
}

}  // namespace

void readWebhooks(ConfigReader& r, webhooks::WebhooksConfig& w) {
    const std::string s = "webhooks";
    w.retention = r.duration(s, "retention", w.retention);
    requirePositive(s + ".retention", w.retention);
    w.backoffInitial = r.duration(s, "backoff_initial", w.backoffInitial);
    requirePositive(s + ".backoff_initial", w.backoffInitial);
    w.backoffMax = r.duration(s, "backoff_max", w.backoffMax);
    if (w.backoffMax < w.backoffInitial)
        throw ConfigError(s + ".backoff_max", "must not be shorter than backoff_initial");
    w.retryFor = r.duration(s, "retry_for", w.retryFor);
    requirePositive(s + ".retry_for", w.retryFor);
    w.workers = static_cast<int>(r.integer(s, "workers", w.workers, 1, 64));
    w.batchSize = static_cast<int>(r.integer(s, "batch_size", w.batchSize, 1, 1000));
    w.pollInterval = r.duration(s, "poll_interval", w.pollInterval);
    requirePositive(s + ".poll_interval", w.pollInterval);
    for (const auto& section : r.sectionsWithPrefix("webhook.")) w.endpoints.push_back(readEndpoint(r, section));
}

}  // namespace rosterd::daemon
