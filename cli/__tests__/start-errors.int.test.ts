import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;

describe('vigie start failing to start', () => {
  it('a busy port: a clear bilingual message, a prompt exit (the demo sandbox is closed), and nothing stored', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as { port: number }).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'vigie-busy-'));
    try {
      const t0 = Date.now();
      const res = spawnSync(process.execPath, ['bin/vigie.mjs', 'start', '--port', String(port), '--sandbox-port', '0', '--fault-port', '0', '--data-dir', dataDir], {
        cwd: root, encoding: 'utf8', timeout: 60_000, env: { ...process.env, VIGIE_LOG_LEVEL: 'silent' },
      });
      expect(res.error).toBeUndefined(); // not killed by the timeout: it did not hang
      expect(res.status).toBe(1);
      expect(res.stderr).toContain(`le port ${port}`);
      expect(res.stderr).toContain(`port ${port} is already in use`);
      expect(res.stderr).not.toMatch(/at Server\.|EADDRINUSE.*errno/);
      expect(Date.now() - t0).toBeLessThan(60_000);
      // The check happens before the store is opened: no embedded database was created.
      expect(existsSync(join(dataDir, 'pgdata')) ? readdirSync(join(dataDir, 'pgdata')).length : 0).toBe(0);
    } finally {
      busy.close();
    }
  });
});
