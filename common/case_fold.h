#pragma once
// One case fold for identifiers compared without regard to case (email addresses): Unicode simple
// case folding and NFC composition from ICU, so `Émile@x`, `émile@x` and a decomposed `E\u0301mile@x`
// are one key. Signup, admin create, import, directory login and sync all match emails through it.
#include <string>
#include <string_view>

namespace rosterd {

/// `text` NFC-composed and case-folded (ICU simple folding, so lengths barely change and `ß` stays).
/// ASCII-only input takes a fast path; text that is not well-formed UTF-8 is only ASCII-lowered.
std::string foldCase(std::string_view text);

}  // namespace rosterd
