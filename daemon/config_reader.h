#pragma once
// Reads settings from the INI file with environment overrides (ROSTERD_<SECTION>_<KEY>) and
// remembers which keys were asked for, so keys nobody reads are reported as unknown.
#include <chrono>
#include <istream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rosterd::daemon {

class ConfigReader {
public:
    /// Empty reader (defaults and environment only).
    ConfigReader() = default;
    /// Loads an INI file; throws ConfigError when it cannot be read or parsed.
    static ConfigReader fromFile(const std::string& path);
    /// Parses INI text; `name` stands for the file in error messages. Throws ConfigError.
    static ConfigReader fromText(const std::string& text, const std::string& name);
    /// Sets a value as if it came from the file (tests and command-line overrides).
    void set(const std::string& section, const std::string& key, const std::string& value);
    /// Sets a value that wins over the file and the environment (runtime settings from the store).
    void setOverride(const std::string& section, const std::string& key, const std::string& value);
    /// Every "section.key" -> value set from the file or set() (not the environment, not overrides).
    const std::map<std::string, std::string>& values() const { return values_; }

    std::optional<std::string> raw(const std::string& section, const std::string& key);
    std::string str(const std::string& section, const std::string& key, const std::string& def);
    bool boolean(const std::string& section, const std::string& key, bool def);
    long long integer(const std::string& section, const std::string& key, long long def, long long min, long long max);
    std::chrono::milliseconds duration(const std::string& section, const std::string& key,
                                       std::chrono::milliseconds def);
    /// A list separated by commas or spaces.
    std::vector<std::string> list(const std::string& section, const std::string& key,
                                  const std::vector<std::string>& def);
    /// One of `allowed`.
    std::string choice(const std::string& section, const std::string& key, const std::string& def,
                       const std::vector<std::string>& allowed);

    /// Every key of a free-form section (all count as read), e.g. [permissions].
    std::map<std::string, std::string> section(const std::string& section);
    /// Names of sections in the file that start with `prefix` (e.g. "webhook." -> "webhook.slack").
    std::vector<std::string> sectionsWithPrefix(const std::string& prefix) const;
    /// Throws ConfigError naming the first key in the file that nothing read.
    void rejectUnknownKeys() const;

private:
    static ConfigReader fromStream(std::istream& in, const std::string& path);

    std::map<std::string, std::string> values_;     // "section.key" -> value
    std::map<std::string, std::string> overrides_;  // "section.key" -> value, beats the environment
    std::set<std::string> consumed_;
};

}  // namespace rosterd::daemon
