import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { TOKEN, buildCollector } from './hostile-fixture.js';

// Issue 8 item 3: a revision that `vigie import --author` stores through a running `vigie start` is marked imported
// by that author, not by the admin token it came with.
describe('POST /api/v1/admin/revisions', () => {
  const post = (body: Record<string, unknown>) => {
    const { app, record } = buildCollector();
    return request(app).post('/api/v1/admin/revisions').set({ authorization: `Bearer ${TOKEN}` }).send(body).then((res) => ({ res, record }));
  };
  const savedBy = (record: { writes: { call: string; args: unknown[] }[] }) =>
    record.writes.filter((w) => w.call === 'revisions.save').map((w) => (w.args[2] as { by?: string } | undefined)?.by);

  it('marks the revision imported by importedBy when given, else by the request actor', async () => {
    const snapshot = { timezone: 'Europe/Paris' };
    const withAuthor = await post({ snapshot, createdAt: '2026-10-05T06:00:00Z', importedBy: 'Mme Durand' });
    expect(withAuthor.res.status).toBe(200);
    expect(savedBy(withAuthor.record)).toEqual(['Mme Durand']);
    const without = await post({ snapshot, createdAt: '2026-10-05T06:00:00Z' });
    expect(savedBy(without.record)).toEqual(['token:admin']);
    const empty = await post({ snapshot, createdAt: '2026-10-05T06:00:00Z', importedBy: ' ' });
    expect(empty.res.status).toBe(400);
  });
});

describe('GET /api/v1/runs instants', () => {
  it('reads from/to strictly: a year before 2000 or a date without offset is a 400 naming the field', async () => {
    const { app } = buildCollector();
    const old = await request(app).get('/api/v1/runs?from=0099-10-05T00:00:00Z');
    expect(old.status).toBe(400);
    expect(old.body.issues).toEqual([expect.objectContaining({ path: 'from', message: expect.stringMatching(/before 2000/) })]);
    expect((await request(app).get('/api/v1/runs?to=2026-10-05')).status).toBe(400);
    expect((await request(app).get('/api/v1/runs?from=2026-10-05T06:00:00%2B02:00')).status).toBe(200);
  });
});
