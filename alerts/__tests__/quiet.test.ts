import { describe, expect, it } from 'vitest';
import { alertsSchema } from '../../core/config/alerts.js';
import type { AlertIncident, AlertNotice } from '../../db/index.js';
import { createQuietPolicy, digestDay } from '../quiet.js';

const alerts = alertsSchema.parse({
  contacts: { establishments: { '0510100G': ['cpe@lycee.test'] }, mailboxPattern: 'ce.{uai}@ac-reims.fr', operators: ['ops@region.test'] },
  quietHours: { awake: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '19:00' }] },
});
const policy = createQuietPolicy(alerts, 'Europe/Paris')!;
const night = Date.parse('2025-11-13T22:00:00Z'); // Thursday 23:00 Paris
const notice = (to: string): AlertNotice => ({ id: 1, incidentId: 1, kind: 'down', channel: 'email', recipient: to, messageId: 'x', status: 'pending', attempts: 0, nextAttemptAt: '', lastError: null, createdAt: new Date(night).toISOString(), sentAt: null });
const incident = (severity: AlertIncident['severity']) => ({ severity, scope: 'series', openedAt: new Date(night).toISOString(), resolvedAt: null }) as AlertIncident;

describe('quiet hours policy', () => {
  it('holds establishment contacts and académie mailboxes until 07:00, never security, never others', () => {
    const friday7 = Date.parse('2025-11-14T06:00:00Z');
    expect(policy(notice('cpe@lycee.test'), incident('outage'), night)).toEqual({ action: 'defer', until: friday7 });
    expect(policy(notice('ce.0510200k@ac-reims.fr'), incident('outage'), night)).toEqual({ action: 'defer', until: friday7 });
    expect(policy(notice('cpe@lycee.test'), incident('security'), night)).toEqual({ action: 'send' });
    expect(policy(notice('ops@region.test'), incident('outage'), night)).toEqual({ action: 'send' });
    // Friday 19:30: the weekend follows, next awake hour Monday 07:00.
    expect(policy(notice('cpe@lycee.test'), incident('outage'), Date.parse('2025-11-14T18:30:00Z'))).toEqual({ action: 'defer', until: Date.parse('2025-11-17T06:00:00Z') });
    expect(createQuietPolicy(alertsSchema.parse({}), 'Europe/Paris')).toBeNull();
  });

  it('rules per recipient: an address named in a rule follows it, other contacts the establishments rule', () => {
    const two = alertsSchema.parse({
      contacts: { establishments: { '0510100G': ['cpe@lycee.test', 'proviseur@lycee.test'] } },
      quietHours: [
        { recipients: ['proviseur@lycee.test'], awake: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '06:00', to: '23:30' }] },
        { awake: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '19:00' }] },
      ],
    });
    const p = createQuietPolicy(two, 'Europe/Paris')!;
    expect(p(notice('proviseur@lycee.test'), incident('outage'), night)).toEqual({ action: 'send' }); // 23:00: still awake
    expect(p(notice('cpe@lycee.test'), incident('outage'), night)).toEqual({ action: 'defer', until: Date.parse('2025-11-14T06:00:00Z') });
  });

  it('the digest day is yesterday once the hour is past', () => {
    expect(digestDay(Date.parse('2025-11-14T06:29:00Z'), '07:30', 'Europe/Paris')).toBeNull();
    expect(digestDay(Date.parse('2025-11-14T06:30:00Z'), '07:30', 'Europe/Paris')).toEqual({ label: '2025-11-13', from: Date.parse('2025-11-12T23:00:00Z'), to: Date.parse('2025-11-13T23:00:00Z') });
  });
});
