#include "sync/run_status.h"

#include <string>

#include "common/errors.h"

namespace rosterd::sync {

std::string_view runStatusName(RunStatus status) {
    switch (status) {
        case RunStatus::Running:
            return "running";
        case RunStatus::Succeeded:
            return "succeeded";
        case RunStatus::Failed:
            return "failed";
        case RunStatus::Refused:
            return "refused";
        case RunStatus::Interrupted:
            return "interrupted";
        case RunStatus::Busy:
            return "busy";
    }
    return "failed";  // unreachable: every enumerator is handled above
}

std::optional<RunStatus> parseRunStatus(std::string_view name) {
    for (RunStatus s : {RunStatus::Running, RunStatus::Succeeded, RunStatus::Failed, RunStatus::Refused,
                        RunStatus::Interrupted, RunStatus::Busy})
        if (runStatusName(s) == name) return s;
    return std::nullopt;
}

RunStatus runStatusFromRow(std::string_view name) {
    auto s = parseRunStatus(name);
    if (s && *s != RunStatus::Busy) return *s;
    throw DbError("stored sync run status '" + std::string(name.substr(0, 32)) + "' is not a run status");
}

}  // namespace rosterd::sync
