#pragma once
// Finds and parses a request head in the bytes received so far. Poco parses the request line and
// the fields; this adds the framing rules that keep requests unambiguous.
#include <cstddef>
#include <optional>
#include <string_view>

#include "http/limits.h"
#include "http/message.h"

namespace rosterd::http {

/// The length of the head (through its empty line) when `buffer` holds all of it.
std::optional<std::size_t> findHeadEnd(std::string_view buffer);

/// Parses a complete head. Throws HttpError: 400 malformed, two differing Content-Length, both
/// Content-Length and Transfer-Encoding, a target that is not percent-encoded UTF-8; 411 a chunked
/// body (not supported: send Content-Length); 431 more fields than `limits.maxHeaderCount`;
/// 501 a Transfer-Encoding other than chunked; 505 an HTTP version other than 1.0/1.1.
RequestHead parseHead(std::string_view head, const ServerLimits& limits);

}  // namespace rosterd::http
