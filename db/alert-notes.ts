import type { Db } from './db.js';
import { toIso } from './run-rows.js';

/** A note written on an alert incident (migration 006). */
export interface AlertNote {
  id: number;
  incidentId: number;
  author: string;
  text: string;
  createdAt: string;
}

/** Notes of alert incidents (issue 10 item 8). */
export interface AlertNotesRepository {
  /** Adds a note; null when there is no such incident. */
  addNote(incidentId: number, note: { author: string; text: string; at: Date }): Promise<AlertNote | null>;
  /** Notes of an incident, oldest first. */
  listNotes(incidentId: number): Promise<AlertNote[]>;
}

interface NoteRow { id: unknown; incident_id: unknown; author: string; text: string; created_at: Date }
const toNote = (r: NoteRow): AlertNote => ({ id: Number(r.id), incidentId: Number(r.incident_id), author: r.author, text: r.text, createdAt: toIso(r.created_at) });

/** {@link AlertNotesRepository} on `db`. */
export function createAlertNotesRepository(db: Db): AlertNotesRepository {
  return {
    async addNote(incidentId, note) {
      const { rows } = await db.query<NoteRow>(
        'INSERT INTO alert_incident_notes (incident_id, author, text, created_at) SELECT id, $2, $3, $4 FROM alert_incidents WHERE id = $1 RETURNING *',
        [incidentId, note.author, note.text, note.at],
      );
      return rows[0] ? toNote(rows[0]) : null;
    },
    async listNotes(incidentId) {
      const { rows } = await db.query<NoteRow>('SELECT * FROM alert_incident_notes WHERE incident_id = $1 ORDER BY created_at, id', [incidentId]);
      return rows.map(toNote);
    },
  };
}
