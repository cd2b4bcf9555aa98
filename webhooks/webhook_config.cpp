#include "webhooks/webhook_config.h"

#include <stdexcept>

namespace rosterd::webhooks {

const char* formatName(Format f) {
    switch (f) {
        case Format::Standard:
            return "standard";
        case Format::OpenWebUi:
            return "openwebui";
        case Format::Slack:
            return "slack";
        case Format::Discord:
            return "discord";
        case Format::Teams:
            return "teams";
    }
    return "standard";
}

Format parseFormat(const std::string& name) {
    for (Format f : {Format::Standard, Format::OpenWebUi, Format::Slack, Format::Discord, Format::Teams})
        if (name == formatName(f)) return f;
    throw std::invalid_argument("'" + name + "' is not one of: standard, openwebui, slack, discord, teams");
}

}  // namespace rosterd::webhooks
