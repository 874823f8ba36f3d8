-- Alert routing (issue 10 items 3–4, DESIGN.md §5): platform incidents grouping the incidents of one target's journey,
-- the routing decision of each incident (taken once, after the group wait), and the webhook channel. A platform
-- incident is a row of alert_incidents with scope 'platform', schedule_id 'platform:<target>:<journey>' and tenant '*';
-- its members point to it and send nothing of their own.
ALTER TABLE alert_incidents ADD COLUMN scope text NOT NULL DEFAULT 'series' CHECK (scope IN ('series', 'platform'));
ALTER TABLE alert_incidents ADD COLUMN platform_id bigint REFERENCES alert_incidents (id);
-- Null until the incident's notices are decided (its own, or its platform's); the decision waits for the group.
ALTER TABLE alert_incidents ADD COLUMN routed_at timestamptz;
-- When the decision may be taken even if some establishments' results of the slot are still missing.
ALTER TABLE alert_incidents ADD COLUMN decide_after timestamptz;
-- Incidents stored before this migration were notified when they were opened.
UPDATE alert_incidents SET routed_at = opened_at, decide_after = opened_at;
CREATE INDEX alert_incidents_unrouted ON alert_incidents (decide_after) WHERE routed_at IS NULL;

ALTER TABLE alert_notices DROP CONSTRAINT alert_notices_channel_check;
ALTER TABLE alert_notices ADD CONSTRAINT alert_notices_channel_check CHECK (channel IN ('email', 'webhook'));

-- Acknowledgement and notes of an incident (issue 10 item 8): who took it in hand, and what people wrote about it.
ALTER TABLE alert_incidents ADD COLUMN acknowledged_at timestamptz;
ALTER TABLE alert_incidents ADD COLUMN acknowledged_by text;
CREATE TABLE alert_incident_notes (
  id          bigserial PRIMARY KEY,
  incident_id bigint NOT NULL REFERENCES alert_incidents (id),
  author      text NOT NULL,
  text        text NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE INDEX alert_incident_notes_incident ON alert_incident_notes (incident_id, created_at);
