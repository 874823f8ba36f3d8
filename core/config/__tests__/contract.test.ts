import { describe, expect, it } from 'vitest';
import { contractSchema, type ContractInput } from '../contract.js';

/** A realistic contract: availability in school hours, a 24/7 clause and a "déconnexion effective" clause. */
const contract: ContractInput = {
  id: 'grand-est-ent',
  name: 'Marché ENT Grand Est',
  provider: 'Kosmos',
  startDate: '2026-09-01',
  clauses: [
    {
      id: 'disponibilite-scolaire',
      name: 'Disponibilité en heures scolaires',
      journeys: ['login', 'roll-call', 'parent-view'],
      targetPercent: 99.5,
      serviceHours: { weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '19:00' }, { days: ['sat'], from: '08:00', to: '12:00' }] },
      calendar: { schoolHolidays: true, publicHolidays: true },
      noticePeriod: '5d',
      severity: { login: 'bloquant', 'roll-call': 'bloquant', 'parent-view': 'majeur' },
      penalties: { availabilityTiers: [{ below: 99.5, amount: 1000 }, { below: 99, amount: 3000 }], gtr: [{ severity: 'bloquant', limit: '4h', amountPerStartedHour: 200 }], monthlyCap: 10000, yearlyCap: 60000 },
    },
    { id: 'disponibilite-24-7', name: 'Disponibilité 24/7', journeys: ['login'], targetPercent: 98 },
    { id: 'deconnexion', name: 'Déconnexion effective', journeys: ['logout'], targetPercent: 99, parties: ['provider', 'academie-idp'] },
  ],
  maintenance: [
    { kind: 'recurring', id: 'nuit', start: '23:00', end: '23:30' },
    { kind: 'one-off', id: 'migration', mode: 'pause', start: '2026-10-24T20:00', duration: '6h', scope: { targets: ['ent'] } },
  ],
};

describe('contract schema', () => {
  it('accepts a realistic contract and fills defaults', () => {
    const c = contractSchema.parse(contract);
    expect(c.timezone).toBe('Europe/Paris');
    expect(c.clauses[0]!.noticePeriod).toBe(5 * 86_400);
    expect(c.clauses[1]).toMatchObject({ serviceHours: '24/7', parties: ['provider'], incidentAfterSlots: 2, noticePeriod: 172_800 });
    expect(c.clauses[0]!.penalties.gtr[0]!.limit).toBe(4 * 3600);
    expect(c.maintenance[0]).toMatchObject({ mode: 'exclude' });
    expect(c.maintenance[1]).toMatchObject({ mode: 'pause', duration: 21_600 });
  });

  it('reports every problem at once with its path', () => {
    const bad = {
      ...contract,
      timezone: 'Mars/Olympus',
      clauses: [
        { ...contract.clauses[0], targetPercent: 120, serviceHours: { weekly: [{ days: ['mon'], from: '19:00', to: '07:00' }] } },
        { id: 'h24', name: '24/7', journeys: ['login'], targetPercent: 99, calendar: { publicHolidays: true }, severity: { logout: 'bloquant' } },
      ],
      maintenance: [{ kind: 'recurring', id: 'w', start: '23:00' }],
    };
    const r = contractSchema.safeParse(bad);
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual(
      expect.arrayContaining(['clauses.0.targetPercent', 'clauses.0.serviceHours.weekly.0.to', 'clauses.1.calendar', 'clauses.1.severity.logout', 'maintenance.0.end', 'timezone']),
    );
  });

  it('refuses duplicate clause ids and impossible dates', () => {
    const r = contractSchema.safeParse({ ...contract, startDate: '2026-02-30', clauses: [contract.clauses[1], contract.clauses[1]] });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['startDate', 'clauses.1.id']));
  });
});
