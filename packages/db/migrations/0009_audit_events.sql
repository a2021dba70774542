-- Audit trail (issue 17): every change a partner makes, written in the transaction of the change
-- itself, so a change is never without its event nor an event without its change. Kept as long as
-- jobs are (JOB_RETENTION_DAYS), pruned with them.
CREATE TABLE audit_events (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,   -- newest first = seq descending
  partner_id   uuid NOT NULL,
  customer_id  uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  at           timestamptz NOT NULL DEFAULT now(),
  type         text NOT NULL,
  key_id       uuid,                                          -- the API key used; null for the worker
  request_id   text,
  data         jsonb NOT NULL
);
CREATE INDEX audit_events_customer ON audit_events (customer_id, seq DESC);
CREATE INDEX audit_events_customer_type ON audit_events (customer_id, type, seq DESC);
CREATE INDEX audit_events_at ON audit_events (at);
