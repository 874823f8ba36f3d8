-- Who resumed a paused schedule (the pause's author may differ). At most one open pause per schedule.
ALTER TABLE schedule_pauses ADD COLUMN resumed_by text;
CREATE UNIQUE INDEX schedule_pauses_open_idx ON schedule_pauses (schedule_id) WHERE resumed_at IS NULL;
