import { describe, expect, it } from 'vitest';
import type { SlaReport } from '../../engine/index.js';
import { labels } from '../labels.js';
import type { ModelContext } from '../model.js';
import { chronologySection, MAX_PRINTED_EPISODES } from '../model-sections.js';
import { renderHtml } from '../render-html.js';
import type { ReportModel } from '../types.js';

const episode = (i: number, gtr: number) => ({ journey: 'login', tenant: '0510100G', start: new Date(Date.UTC(2026, 9, 1) + i * 300_000).toISOString(), end: new Date(Date.UTC(2026, 9, 1) + i * 300_000 + 300_000).toISOString(), downSlots: 1, gtrMinutes: gtr, elapsedMinutes: gtr, severity: 'bloquant', parties: ['provider'], kinds: ['timeout'], gtrLimitMinutes: null, overLimit: false });

describe('a chronology of thousands of episodes', () => {
  it('prints the longest ones and every declared incident, in time order; CSV and JSON keep them all', () => {
    const episodes = Array.from({ length: 1000 }, (_, i) => episode(i, i % 97 === 0 ? 60 + i / 97 : 5));
    const report = { clauses: [{ name: 'Connexion', episodes }], incidents: [{ id: 1, start: '2026-10-20T08:00:00.000Z', end: null, scope: {}, description: 'déclaré', author: 'cpe', createdAt: '2026-10-20T09:00:00.000Z' }] } as unknown as SlaReport;
    const ctx: ModelContext = { report, lang: 'fr', l: labels('fr'), zone: 'Europe/Paris', audience: 'region', local: (iso) => iso, nameOf: (u) => u };
    const [table] = chronologySection(ctx).tables;
    expect(table!.rows).toHaveLength(1001);
    expect(table!.printRows).toHaveLength(MAX_PRINTED_EPISODES);
    const printed = table!.printRows!.map((i) => table!.rows[i]!);
    // The 11 long episodes and the declared incident are all there, in time order.
    expect(printed.filter((r) => Number(r[5]) >= 60)).toHaveLength(11);
    expect(printed.filter((r) => r[5] === null)).toHaveLength(1);
    expect(printed.map((r) => String(r[0]))).toEqual(printed.map((r) => String(r[0])).sort());
    expect(table!.note).toMatch(/^200 lignes sur 1001 .* chronology\.csv/);
    const model = { lang: 'fr', title: 't', contract: { id: 'c', name: null, provider: null, timezone: 'Europe/Paris', currency: 'EUR' }, period: { label: '2026-10', title: 'octobre 2026', from: '2026-10-01T00:00:00+02:00', to: '2026-11-01T00:00:00+01:00', inProgress: false }, generatedAt: '2026-11-02T07:00:00+01:00', vigieVersion: 'x', establishment: null, revisions: [], headlines: [], sections: [chronologySection(ctx)] } as unknown as ReportModel;
    expect(renderHtml(model).match(/<tr>/g)!.length).toBe(MAX_PRINTED_EPISODES + 1); // + the header row
  });
});
