#include "common/case_fold.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "common/utf8.h"

namespace rosterd {

namespace {
std::string lowerAscii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

bool isAscii(std::string_view text) {
    for (char c : text)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}
}  // namespace

std::string foldCase(std::string_view text) {
    if (isAscii(text) || !utf8::valid(text)) return lowerAscii(text);
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) return lowerAscii(text);
    icu::UnicodeString folded;
    icu::UnicodeString in =
        icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    for (int32_t i = 0; i < in.length();) {
        UChar32 c = in.char32At(i);
        folded.append(u_foldCase(c, U_FOLD_CASE_DEFAULT));
        i += U16_LENGTH(c);
    }
    icu::UnicodeString composed = nfc->normalize(folded, status);
    if (U_FAILURE(status)) return lowerAscii(text);
    std::string out;
    composed.toUTF8String(out);
    return out;
}

}  // namespace rosterd
