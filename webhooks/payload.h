#pragma once
// The request body sent for an event in each endpoint format.
#include <string>

#include "webhooks/event.h"
#include "webhooks/webhook_config.h"

namespace rosterd::webhooks {

/// A one-line human summary ("New user signed up: Ada"), as chat formats show it.
std::string eventMessage(const Event& e);
/// The body for `format` (JSON text).
std::string renderBody(Format format, const Event& e);

}  // namespace rosterd::webhooks
