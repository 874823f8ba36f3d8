-- A revision stored by `vigie import` is marked imported, with its author and the time of the import (DESIGN.md §5):
-- its created_at may be the file's first slot (the schedules and tenants it brings date back to it), but the
-- maintenance windows it brings count as announced at imported_at. Both set or both null (a revision of a start).
ALTER TABLE config_revisions ADD COLUMN imported_at timestamptz;
ALTER TABLE config_revisions ADD COLUMN imported_by text;
ALTER TABLE config_revisions ADD CONSTRAINT config_revisions_import_ck
  CHECK ((imported_at IS NULL) = (imported_by IS NULL) AND (imported_by IS NULL OR imported_by <> ''));
