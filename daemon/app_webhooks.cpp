#include <spdlog/spdlog.h>

#include "common/errors.h"
#include "daemon/app.h"
#include "daemon/routes_webhooks.h"

namespace rosterd::daemon {

void App::wireWebhooks() {
    auto cfg = this->config();
    try {
        webhooks_ = std::make_unique<webhooks::Dispatcher>(*store_, clock_, metrics_, cfg->webhooks);
    } catch (const std::invalid_argument& e) {
        throw ConfigError("", e.what());  // the message names the [webhook.NAME] section
    }
    // Events committed by any module wake the dispatcher at once instead of at the next poll.
    outbox_.setWakeup([this] { webhooks_->poke(); });
    metrics_.onCollect([this](Metrics& m) {
        try {
            webhooks_->collectMetrics(m);
        } catch (const std::exception& e) {
            spdlog::warn("webhook queue metrics unavailable: {}", e.what());
        }
    });
    // SIGHUP: endpoints are replaced in place (queues are kept by name); the [webhooks] tuning
    // keys are read at start-up only.
    onReload({"webhooks",
              [](const Config& next) {
                  try {
                      webhooks::Dispatcher::validate(next.webhooks.endpoints);
                  } catch (const std::invalid_argument& e) {
                      throw ConfigError("", e.what());
                  }
              },
              [this](const Config& next, const Config&) {
                  try {
                      reloadWebhooks(next);
                  } catch (const std::exception& e) {
                      spdlog::error("webhooks: reload failed, keeping the previous endpoints: {}", e.what());
                  }
              }});
    webhookAdmin_ = std::make_unique<webhooks::WebhookAdmin>(*store_, *webhooks_, clock_);
    registerWebhookRoutes(router_, *webhookAdmin_, auth());
    spdlog::info("webhooks: {} endpoint(s) configured", cfg->webhooks.endpoints.size());
}

void App::reloadWebhooks(const Config& config) {
    try {
        webhooks_->reconfigure(config.webhooks.endpoints);
    } catch (const std::invalid_argument& e) {
        throw ConfigError("", e.what());
    }
    spdlog::info("webhooks: reloaded, {} endpoint(s) configured", config.webhooks.endpoints.size());
}

}  // namespace rosterd::daemon
