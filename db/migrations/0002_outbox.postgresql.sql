-- Events written in the same transaction as the change they describe; seq gives creation order.
CREATE TABLE outbox (
    seq         BIGSERIAL PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    type        TEXT NOT NULL,
    payload     TEXT NOT NULL,
    occurred_at BIGINT NOT NULL
);
