import { describe, expect, it } from 'vitest';

describe('admin API token', () => {
  it('takes VIGIE_API_TOKEN when set, and refuses a short one', async () => {
    const { newAdminToken } = await import('../admin-api.js');
    expect(newAdminToken({ VIGIE_API_TOKEN: 'x'.repeat(32) })).toBe('x'.repeat(32));
    expect(() => newAdminToken({ VIGIE_API_TOKEN: 'short' })).toThrow(/at least 32/);
    expect(newAdminToken({})).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('which running vigie start a command talks to', () => {
  it('uses the live process only when it holds the store this command would open', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { writeAdminEndpoint, readAdminEndpoint, databaseUrlFingerprint } = await import('../admin-api.js');
    const dir = mkdtempSync(join(tmpdir(), 'vigie-admin-'));
    const base = { url: 'http://127.0.0.1:1', token: 't', pid: process.pid };
    await writeAdminEndpoint(dir, { ...base, store: { kind: 'pglite' } });
    expect(await readAdminEndpoint(dir, {})).not.toBeNull();
    expect(await readAdminEndpoint(dir, { DATABASE_URL: 'postgres://x/y' })).toBeNull(); // an explicit server wins
    await writeAdminEndpoint(dir, { ...base, store: { kind: 'postgres', urlSha256: databaseUrlFingerprint('postgres://x/y') } });
    expect(await readAdminEndpoint(dir, { DATABASE_URL: 'postgres://x/y' })).not.toBeNull();
    expect(await readAdminEndpoint(dir, { DATABASE_URL: 'postgres://x/other' })).toBeNull();
    expect(await readAdminEndpoint(dir, {})).toBeNull();
    await writeAdminEndpoint(dir, { ...base, pid: 2 ** 22 + 12345, store: { kind: 'pglite' } }); // no such process
    expect(await readAdminEndpoint(dir, {})).toBeNull();
  });
});
