-- A replica leases an endpoint while it sends that endpoint's events: the lease is taken in a short
-- transaction and the POSTs are made outside any, so a slow receiver holds no lock or connection.
-- A lease past claimed_until (its replica crashed or hung) may be taken by another replica.
ALTER TABLE webhook_endpoints ADD COLUMN claimed_by TEXT;
ALTER TABLE webhook_endpoints ADD COLUMN claimed_until BIGINT;
