-- Contract 1.1 webhooks: one endpoint per partner, and an outbox of events with their delivery state.

-- The secret is kept so the worker can sign: sealed with WEBHOOK_SECRET_KEY when one is configured
-- ('sealed:v1:...'), otherwise as it is ('plain:...'); see packages/webhooks/src/secret.ts.
CREATE TABLE webhooks (
  partner_id uuid PRIMARY KEY,
  url text NOT NULL,
  events text[] NOT NULL,
  secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per event to deliver, written in the transaction that produced the event (the outbox).
-- `payload` is the event's data as json (not jsonb), so every attempt sends the same bytes in the same key order.
-- `id` is the Standard Webhooks message id (header webhook-id), the same on every attempt.
-- `round_attempts` counts the attempts since the event was recorded or last redelivered; the retry
-- schedule follows it. `next_attempt_at` of a pending delivery is when it is due (or, while an
-- attempt is under way, when that attempt is taken as lost).
CREATE TABLE webhook_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigint GENERATED ALWAYS AS IDENTITY,
  partner_id uuid NOT NULL,
  type text NOT NULL,
  job_id uuid,
  payload json NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  attempts integer NOT NULL DEFAULT 0,
  round_attempts integer NOT NULL DEFAULT 0,
  last_status_code integer,
  last_error text,
  last_attempt_at timestamptz,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_partner ON webhook_deliveries (partner_id, seq DESC);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';

-- Every attempt: when, what the endpoint answered (or why nothing was sent or received).
CREATE TABLE webhook_delivery_attempts (
  delivery_id uuid NOT NULL,
  attempt integer NOT NULL,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  status_code integer,
  error text,
  duration_ms integer NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
