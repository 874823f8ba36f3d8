-- Vigie watching itself (issue 10 item 6): internal incidents raised by the watchdog — a schedule without results
-- past its grace (`stale`), a silent location, the result store refusing writes, a browser crash rate over its
-- threshold. They are told to the operators only and never count as ENT downtime (they touch no run). `schedule_id`
-- holds the condition's key (one open incident per key), `journey` its kind, `location` the location concerned.
ALTER TABLE alert_incidents DROP CONSTRAINT alert_incidents_scope_check;
ALTER TABLE alert_incidents ADD CONSTRAINT alert_incidents_scope_check CHECK (scope IN ('series', 'platform', 'internal'));
ALTER TABLE alert_incidents DROP CONSTRAINT alert_incidents_severity_check;
-- `security`: an outage whose confirming slot failed with kind `security` (a logout that left the SSO session alive):
-- told to the security contacts too (issue 10 item 4). `degraded`: K consecutive degraded slots (slow but working),
-- recorded and told to nobody unless `alerts.notifyDegraded`; never grouped into a platform incident. `flapping`: the
-- series changed state too often (key `flap:<schedule>`): one "instable" message instead of one per outage.
ALTER TABLE alert_incidents ADD CONSTRAINT alert_incidents_severity_check CHECK (severity IN ('outage', 'security', 'degraded', 'flapping', 'internal'));
ALTER TABLE alert_incidents ADD COLUMN location text;
-- What the condition said when it opened (which schedules a silent location runs, the crash figures…), for the notice.
ALTER TABLE alert_incidents ADD COLUMN detail jsonb;
CREATE INDEX alert_incidents_internal_open ON alert_incidents (schedule_id) WHERE scope = 'internal' AND resolved_at IS NULL;
-- Quiet hours (issue 10 item 4): a notice whose incident opened and closed while its recipient slept is not sent on
-- its own (`digest`): the recipient's summary of the quiet period (an internal `digest` incident) tells it.
ALTER TABLE alert_notices DROP CONSTRAINT alert_notices_status_check;
ALTER TABLE alert_notices ADD CONSTRAINT alert_notices_status_check CHECK (status IN ('pending', 'sent', 'failed', 'digest'));
