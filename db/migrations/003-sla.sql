-- 003: SLA inputs that are not runs: imported school calendars, corrections (and their withdrawals), manual
-- incidents, the audit trail. Nothing here is ever deleted or updated in place: a withdrawal is a new row.

-- School calendars imported by `vigie calendar import` (the engine's SchoolCalendar JSON), per zone or location.
-- Re-importing the same content for the same location is a no-op (unique on its SHA-256).
CREATE TABLE school_calendars (
  id             bigserial PRIMARY KEY,
  -- Normalized location: `B` for "Zone B", `CORSE`, `REUNION`… (matched against a tenant's `zone`).
  location       text NOT NULL,
  source         text NOT NULL,
  imported_at    timestamptz NOT NULL,
  content_sha256 text NOT NULL CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
  calendar       jsonb NOT NULL,
  UNIQUE (location, content_sha256)
);

-- Periods excluded after the fact (DESIGN.md §5 "Corrections and observations").
CREATE TABLE sla_corrections (
  id          bigserial PRIMARY KEY,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  -- {clauses?, targets?, tenants?, journeys?}: absent or empty lists match everything.
  scope       jsonb NOT NULL DEFAULT '{}',
  reason      text NOT NULL,
  author      text NOT NULL,
  created_at  timestamptz NOT NULL,
  CHECK (ends_at > starts_at)
);

-- A withdrawal is its own record: the correction stops applying at `withdrawn_at`, its row stays.
CREATE TABLE sla_correction_withdrawals (
  id            bigserial PRIMARY KEY,
  correction_id bigint NOT NULL UNIQUE REFERENCES sla_corrections (id),
  withdrawn_at  timestamptz NOT NULL,
  author        text NOT NULL,
  reason        text
);

-- Incidents declared by hand: shown in chronologies, never in measured figures.
CREATE TABLE manual_incidents (
  id          bigserial PRIMARY KEY,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz,
  scope       jsonb NOT NULL DEFAULT '{}',
  description text NOT NULL,
  author      text NOT NULL,
  created_at  timestamptz NOT NULL,
  CHECK (ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX manual_incidents_time_idx ON manual_incidents (starts_at);

-- Who did what when (imports, corrections, incidents, calendar imports).
CREATE TABLE audit_log (
  id      bigserial PRIMARY KEY,
  at      timestamptz NOT NULL,
  actor   text NOT NULL,
  action  text NOT NULL,
  subject text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
