import { describe, expect, it } from 'vitest';
import type { AlertIncident } from '../../db/index.js';
import { noticeMessage } from '../templates.js';

const incident: AlertIncident = {
  id: 3, scheduleId: 'login-lycee', journey: 'login', target: 'ent', tenant: '0510100G', severity: 'outage', scope: 'series', platformId: null, members: 0, location: null, detail: {},
  outageStart: '2025-11-14T18:30:00.000Z', openedAt: '2025-11-14T18:31:00.000Z', resolvedAt: null, acknowledgedAt: null, acknowledgedBy: null,
};
const ctx = { zone: 'Europe/Paris', tenantName: () => 'Lycée Test', baseUrl: 'https://vigie.region.test/' };

describe('down notice facts (issue 10 item 5)', () => {
  it('say the failed step and error, link the run, its screenshot and the status, and the service hours', () => {
    const m = noticeMessage({ kind: 'down' }, { ...incident, failure: { runId: 42, reason: 'HTTP 500 on /appel', step: 'open-sheet', screenshotAttempt: 2 }, serviceHours: { clause: 'Disponibilité', inside: false } }, ctx);
    expect(m.text).toContain('Étape en échec : « open-sheet » — HTTP 500 on /appel.');
    expect(m.text).toContain("Capture d'écran : https://vigie.region.test/api/v1/runs/42/attempts/2/screenshot.png");
    expect(m.text).toContain('Exécution : https://vigie.region.test/api/v1/runs/42');
    expect(m.text).toContain('État : https://vigie.region.test/api/v1/status');
    expect(m.text).toContain('Début hors des heures de service hebdomadaires (« Disponibilité »).');
    expect(m.text).toContain('Began outside the weekly service hours ("Disponibilité").');
    const bare = noticeMessage({ kind: 'down' }, incident, ctx);
    expect(bare.text).not.toContain('Étape en échec');
  });
});
