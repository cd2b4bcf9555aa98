-- Outbox events are copied once into one delivery per matching endpoint ("fan-out").
ALTER TABLE outbox ADD COLUMN fanned_out INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_fanout_pending ON outbox (seq) WHERE fanned_out = 0;

-- One row per endpoint name ever configured. A replica locks the row (FOR UPDATE SKIP LOCKED)
-- while it sends that endpoint's events, so each endpoint is served by one replica at a time, in order.
CREATE TABLE webhook_endpoints (
    name            TEXT PRIMARY KEY,
    first_seen_at   BIGINT NOT NULL,
    last_error      TEXT,
    last_status     INTEGER,
    last_error_at   BIGINT,
    last_success_at BIGINT
);

-- The state of one event for one endpoint; times are epoch milliseconds.
CREATE TABLE webhook_deliveries (
    endpoint        TEXT NOT NULL,
    event_seq       BIGINT NOT NULL,
    event_id        TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending',  -- pending | delivered | dead
    attempts        INTEGER NOT NULL DEFAULT 0,
    queued_at       BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    last_attempt_at BIGINT,
    last_status     INTEGER,
    last_error      TEXT,
    delivered_at    BIGINT,
    PRIMARY KEY (endpoint, event_seq),
    CHECK (status IN ('pending', 'delivered', 'dead'))
);
CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (endpoint, status, event_seq);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);
CREATE INDEX webhook_deliveries_seq ON webhook_deliveries (event_seq);
CREATE INDEX webhook_deliveries_done ON webhook_deliveries (status, delivered_at);
