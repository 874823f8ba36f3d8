-- Alerting (DESIGN.md §5 "Outage episodes and incidents", issue 10): the evaluator's state per series, the incidents
-- it opens and resolves, and the outbox of notices. Everything the evaluator decides lands in one transaction with
-- its new state, so a restart at any moment neither repeats nor loses a transition; a notice is a row before any
-- attempt to send it, and its Message-ID is fixed at creation (a retry re-sends the same message).
CREATE TABLE alert_series_state (
  schedule_id     text PRIMARY KEY,
  -- Slots starting before this instant have been evaluated.
  evaluated_until timestamptz NOT NULL,
  state           jsonb NOT NULL
);

CREATE TABLE alert_incidents (
  id           bigserial PRIMARY KEY,
  schedule_id  text NOT NULL,
  journey      text NOT NULL,
  target       text NOT NULL,
  tenant       text NOT NULL,
  severity     text NOT NULL CHECK (severity IN ('outage')),
  -- Start of the first down slot (taken from the slots, never from the evaluation time).
  outage_start timestamptz NOT NULL,
  -- Start of the slot that opened it (the K-th consecutive down slot).
  opened_at    timestamptz NOT NULL,
  -- Start of the first up slot after it; null while open.
  resolved_at  timestamptz,
  UNIQUE (schedule_id, outage_start)
);
CREATE INDEX alert_incidents_open ON alert_incidents (schedule_id) WHERE resolved_at IS NULL;

CREATE TABLE alert_notices (
  id              bigserial PRIMARY KEY,
  incident_id     bigint NOT NULL REFERENCES alert_incidents (id),
  kind            text NOT NULL CHECK (kind IN ('down', 'recovery')),
  channel         text NOT NULL CHECK (channel IN ('email')),
  recipient       text NOT NULL,
  message_id      text NOT NULL UNIQUE,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  created_at      timestamptz NOT NULL,
  sent_at         timestamptz,
  UNIQUE (incident_id, kind, channel, recipient)
);
CREATE INDEX alert_notices_due ON alert_notices (next_attempt_at) WHERE status = 'pending';
