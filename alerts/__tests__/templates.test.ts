import { describe, expect, it } from 'vitest';
import type { AlertIncident } from '../../db/index.js';
import { incidentLines } from '../../cli/incidents-cmd.js';
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

  it('name the step once (the stored reason starts with it)', () => {
    const m = noticeMessage({ kind: 'down' }, { ...incident, failure: { runId: 1, reason: 'step "open-ent": HTTP 503 on http://lycee/', step: 'open-ent', screenshotAttempt: null } }, ctx);
    expect(m.text).toContain('Étape en échec : « open-ent » — HTTP 503 on http://lycee/.');
    expect(m.text).not.toContain('step "open-ent"');
  });
});

describe('vigie incidents lines', () => {
  it('say a security incident is one, and which summary a digest is', () => {
    const security = incidentLines({ ...incident, journey: 'logout', severity: 'security', notices: [] }, 'Europe/Paris');
    expect(security[0]).toContain('0510100G logout sécurité / security — panne depuis / down since');
    const daily = incidentLines({ ...incident, scope: 'internal', severity: 'internal', journey: 'digest', detail: { kind: 'daily' }, notices: [] }, 'Europe/Paris');
    expect(daily[0]).toMatch(/^#3 Vigie bilan du jour \/ daily digest — signalé/);
  });
});
