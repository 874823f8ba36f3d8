-- 001: config revisions, runs, attempts, steps, failure evidence, schedule pauses, ingest rejections.
-- Runs on PostgreSQL 15+ and PGlite. Append-only: never edit this file once released; add 002-….sql instead.
--
-- Hypertable-ready (DESIGN.md §6): every unique key of runs, attempts, steps and failures includes scheduled_at, and
-- there are no foreign keys between them, so each can become a TimescaleDB hypertable on scheduled_at with its own
-- retention. insertRun writes a run and its children in one transaction instead. failures repeats the run's
-- identity (journey, tenant, …) so evidence stays readable after its successful-run neighbours are dropped.

CREATE TABLE config_revisions (
  id             bigserial PRIMARY KEY,
  created_at     timestamptz NOT NULL,
  -- SHA-256 (hex) of the snapshot's canonical JSON: equal configs have equal hashes.
  content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  snapshot       jsonb NOT NULL
);
CREATE INDEX config_revisions_sha_idx ON config_revisions (content_sha256);

CREATE TABLE runs (
  id             bigserial NOT NULL,
  schedule_id    text NOT NULL,
  journey        text NOT NULL,
  target         text NOT NULL,
  tenant         text NOT NULL,
  location       text NOT NULL,
  trigger        text NOT NULL CHECK (trigger IN ('scheduled', 'manual')),
  -- Slot start (the key); for a manual run, the instant it was asked for.
  scheduled_at   timestamptz NOT NULL,
  revision_id    bigint REFERENCES config_revisions (id),
  status         text NOT NULL CHECK (status IN ('up', 'degraded', 'down', 'error')),
  -- FailureKind of core/run-types.ts; not CHECKed so a new kind needs no migration.
  kind           text,
  reason         text,
  started_at     timestamptz NOT NULL,
  duration_ms    integer NOT NULL CHECK (duration_ms >= 0),
  late           boolean NOT NULL DEFAULT false,
  flags          jsonb NOT NULL DEFAULT '[]',
  measures       jsonb NOT NULL DEFAULT '{}',
  attempts_count smallint NOT NULL CHECK (attempts_count >= 0),
  received_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, scheduled_at)
);
-- One scheduled result per (schedule, location, slot) (DESIGN.md §5, F16). Manual runs are outside slots: their key
-- is the primary key (id, scheduled_at).
CREATE UNIQUE INDEX runs_slot_key ON runs (schedule_id, location, scheduled_at) WHERE trigger = 'scheduled';
CREATE INDEX runs_recent_idx ON runs (scheduled_at DESC, id DESC);
CREATE INDEX runs_journey_tenant_idx ON runs (journey, tenant, scheduled_at DESC);

CREATE TABLE attempts (
  run_id       bigint NOT NULL,
  scheduled_at timestamptz NOT NULL,
  attempt      smallint NOT NULL CHECK (attempt >= 1),
  location     text NOT NULL,
  status       text NOT NULL CHECK (status IN ('up', 'degraded', 'down', 'error')),
  kind         text,
  reason       text,
  started_at   timestamptz NOT NULL,
  duration_ms  integer NOT NULL CHECK (duration_ms >= 0),
  flags        jsonb NOT NULL DEFAULT '[]',
  measures     jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (run_id, attempt, scheduled_at)
);

CREATE TABLE steps (
  run_id        bigint NOT NULL,
  scheduled_at  timestamptz NOT NULL,
  attempt       smallint NOT NULL,
  idx           smallint NOT NULL CHECK (idx >= 0),
  name          text NOT NULL,
  status        text NOT NULL CHECK (status IN ('passed', 'failed', 'skipped')),
  soft          boolean NOT NULL DEFAULT false,
  started_at    timestamptz NOT NULL,
  duration_ms   integer NOT NULL CHECK (duration_ms >= 0),
  threshold_ms  integer,
  error_message text,
  error_kind    text,
  http_status   smallint,
  PRIMARY KEY (run_id, attempt, idx, scheduled_at)
);

-- Evidence of failed attempts, kept longer than raw runs (DESIGN.md §6: 13 months or more).
CREATE TABLE failures (
  id           bigserial NOT NULL,
  run_id       bigint NOT NULL,
  scheduled_at timestamptz NOT NULL,
  attempt      smallint NOT NULL,
  schedule_id  text NOT NULL,
  journey      text NOT NULL,
  target       text NOT NULL,
  tenant       text NOT NULL,
  location     text NOT NULL,
  status       text NOT NULL,
  kind         text,
  reason       text,
  step         text,
  -- Final URL without its query string (tickets are never stored).
  url          text,
  -- [{name, domain}] — cookie names and domains, never values.
  cookies      jsonb NOT NULL DEFAULT '[]',
  -- [{step, message, kind}] — every failure of a soft-check journey, in order.
  failures     jsonb NOT NULL DEFAULT '[]',
  screenshot   bytea,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, scheduled_at),
  UNIQUE (run_id, attempt, scheduled_at)
);
CREATE INDEX failures_tenant_time_idx ON failures (tenant, scheduled_at DESC);

-- Operator pauses (DESIGN.md §5 "paused" slots); filled by a later issue.
CREATE TABLE schedule_pauses (
  id          bigserial PRIMARY KEY,
  schedule_id text NOT NULL,
  paused_at   timestamptz NOT NULL,
  resumed_at  timestamptz,
  author      text NOT NULL,
  reason      text,
  CHECK (resumed_at IS NULL OR resumed_at >= paused_at)
);
CREATE INDEX schedule_pauses_schedule_idx ON schedule_pauses (schedule_id, paused_at);

-- Results refused at ingest (a second result for a slot that has one, F16), kept for the audit trail.
CREATE TABLE ingest_rejections (
  id           bigserial PRIMARY KEY,
  received_at  timestamptz NOT NULL DEFAULT now(),
  reason       text NOT NULL CHECK (reason IN ('duplicate')),
  schedule_id  text NOT NULL,
  location     text NOT NULL,
  scheduled_at timestamptz NOT NULL,
  journey      text NOT NULL,
  tenant       text NOT NULL,
  status       text NOT NULL
);
