// Fuzzes configuration loading from INI text: any file either loads or fails with ConfigError
// naming the problem.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/errors.h"
#include "daemon/config.h"
#include "daemon/config_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        rosterd::daemon::ConfigReader reader = rosterd::daemon::ConfigReader::fromText(text, "fuzz.ini");
        rosterd::daemon::loadConfig(reader);
    } catch (const rosterd::ConfigError&) {
    }
    return 0;
}
