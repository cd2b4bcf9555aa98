#include "daemon/config_reader.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/ascii.h"
#include "common/duration.h"
#include "common/errors.h"

namespace rosterd::daemon {
namespace {

std::string trim(std::string s) {
    auto notSpace = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), notSpace));
    s.erase(std::find_if(s.rbegin(), s.rend(), notSpace).base(), s.end());
    return s;
}

/// ROSTERD_<SECTION>_<KEY>, upper-cased, with '.' and '-' turned into '_'.
std::string envName(const std::string& section, const std::string& key) {
    std::string n = "ROSTERD_" + section + "_" + key;
    for (char& c : n) {
        if (c == '.' || c == '-') c = '_';
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return n;
}

/// The file, the OS reason and what to do about it.
std::string unreadableConfigMessage(const std::string& path, int err) {
    std::string msg = "cannot read config file '" + path + "': " + (err ? std::strerror(err) : "unknown error");
    if (err == EACCES) {
        const passwd* pw = getpwuid(geteuid());
        std::string me = pw ? pw->pw_name : "uid " + std::to_string(geteuid());
        const group* gr = getgrgid(pw ? pw->pw_gid : getegid());
        std::string group = gr ? gr->gr_name : std::to_string(getegid());
        msg += " (this process runs as " + me +
               "); fix: make it readable by that user without opening it to everyone, "
               "e.g. sudo chgrp " +
               group + " '" + path + "' && sudo chmod 0640 '" + path + "'";
    } else if (err == ENOENT) {
        msg +=
            "; fix: pass the right file with --config, or start from the example "
            "(/usr/share/doc/rosterd/rosterd.ini.example)";
    } else if (err == EISDIR) {
        msg += "; fix: --config takes the INI file, not its folder";
    }
    return msg;
}

}  // namespace

ConfigReader ConfigReader::fromFile(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw ConfigError("", unreadableConfigMessage(path, EISDIR));
    errno = 0;
    std::ifstream in(path);
    if (!in) throw ConfigError("", unreadableConfigMessage(path, errno));  // errno of the failed open()
    return fromStream(in, path);
}

ConfigReader ConfigReader::fromText(const std::string& text, const std::string& name) {
    std::istringstream in(text);
    return fromStream(in, name);
}

ConfigReader ConfigReader::fromStream(std::istream& in, const std::string& path) {
    ConfigReader r;
    std::string line, section;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        line = trim(line);
        if (line.empty() || line[0] == '#' || line[0] == ';') continue;
        if (line.front() == '[') {
            if (line.back() != ']')
                throw ConfigError("", path + ":" + std::to_string(lineNo) + ": malformed section header");
            section = asciiLower(trim(line.substr(1, line.size() - 2)));
            continue;
        }
        auto eq = line.find('=');
        if (eq == std::string::npos)
            throw ConfigError("", path + ":" + std::to_string(lineNo) + ": expected key = value");
        if (section.empty())
            throw ConfigError("", path + ":" + std::to_string(lineNo) + ": key outside of any [section]");
        std::string value = trim(line.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        r.values_[section + "." + asciiLower(trim(line.substr(0, eq)))] = value;
    }
    return r;
}

void ConfigReader::set(const std::string& section, const std::string& key, const std::string& value) {
    values_[section + "." + key] = value;
}

void ConfigReader::setOverride(const std::string& section, const std::string& key, const std::string& value) {
    overrides_[section + "." + key] = value;
}

std::optional<std::string> ConfigReader::raw(const std::string& section, const std::string& key) {
    std::string full = section + "." + key;
    consumed_.insert(full);
    if (auto o = overrides_.find(full); o != overrides_.end()) return o->second;
    if (const char* env = std::getenv(envName(section, key).c_str())) return std::string(env);
    auto it = values_.find(full);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::string ConfigReader::str(const std::string& section, const std::string& key, const std::string& def) {
    return raw(section, key).value_or(def);
}

bool ConfigReader::boolean(const std::string& section, const std::string& key, bool def) {
    auto v = raw(section, key);
    if (!v) return def;
    std::string s = asciiLower(*v);
    if (s == "true" || s == "yes" || s == "on" || s == "1") return true;
    if (s == "false" || s == "no" || s == "off" || s == "0") return false;
    throw ConfigError(section + "." + key, "'" + *v + "' is not a boolean (true or false)");
}

long long ConfigReader::integer(const std::string& section, const std::string& key, long long def, long long min,
                                long long max) {
    auto v = raw(section, key);
    if (!v) return def;
    std::size_t pos = 0;
    long long n = 0;
    try {
        n = std::stoll(*v, &pos);
    } catch (const std::exception&) {
        pos = 0;
    }
    if (pos == 0 || pos != v->size()) throw ConfigError(section + "." + key, "'" + *v + "' is not a whole number");
    if (n < min || n > max)
        throw ConfigError(section + "." + key, std::to_string(n) + " is out of range (" + std::to_string(min) + " to " +
                                                   std::to_string(max) + ")");
    return n;
}

std::chrono::milliseconds ConfigReader::duration(const std::string& section, const std::string& key,
                                                 std::chrono::milliseconds def) {
    auto v = raw(section, key);
    if (!v) return def;
    try {
        return parseDuration(*v);
    } catch (const std::exception& e) {
        throw ConfigError(section + "." + key, e.what());
    }
}

std::vector<std::string> ConfigReader::list(const std::string& section, const std::string& key,
                                            const std::vector<std::string>& def) {
    auto v = raw(section, key);
    if (!v) return def;
    std::vector<std::string> out;
    std::string cur;
    for (char c : *v + " ") {
        if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    return out;
}

std::string ConfigReader::choice(const std::string& section, const std::string& key, const std::string& def,
                                 const std::vector<std::string>& allowed) {
    std::string v = str(section, key, def);
    if (std::find(allowed.begin(), allowed.end(), v) != allowed.end()) return v;
    std::string options;
    for (const auto& a : allowed) options += (options.empty() ? "" : ", ") + a;
    throw ConfigError(section + "." + key, "'" + v + "' is not one of: " + options);
}

std::map<std::string, std::string> ConfigReader::section(const std::string& section) {
    std::map<std::string, std::string> out;
    std::string prefix = section + ".";
    for (const auto& [full, value] : values_) {
        if (full.rfind(prefix, 0) != 0) continue;
        consumed_.insert(full);
        out[full.substr(prefix.size())] = value;
    }
    return out;
}

std::vector<std::string> ConfigReader::sectionsWithPrefix(const std::string& prefix) const {
    std::set<std::string> names;
    for (const auto& [full, _] : values_) {
        auto dot = full.rfind('.');
        std::string section = full.substr(0, dot);
        if (section.rfind(prefix, 0) == 0) names.insert(section);
    }
    return {names.begin(), names.end()};
}

void ConfigReader::rejectUnknownKeys() const {
    for (const auto& [full, _] : values_)
        if (!consumed_.count(full)) throw ConfigError(full, "unknown key");
}

}  // namespace rosterd::daemon
