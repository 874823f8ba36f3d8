import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeMonth } from '../../reports/__tests__/month-fixture.js';
import { parseFormats, runReport } from '../report-cmd.js';
import { openStore } from '../store-open.js';

/** `vigie report` on an embedded data folder holding the replayed October (reports/__tests__/month-fixture.ts). */
const dir = mkdtempSync(join(tmpdir(), 'vigie-report-'));
const dataDir = join(dir, 'data');
/** The embedded store, whatever the caller's environment says. */
const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL'));

beforeAll(async () => {
  const handle = await openStore({ env, dataDir, logger: pino({ level: 'silent' }) });
  await storeMonth(handle.store);
  await handle.close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const quiet = () => {
  const lines: string[] = [];
  return { log: (s: string) => lines.push(s), lines };
};

describe('vigie report', () => {
  it('writes the region report and a manifest that sha256sum checks', async () => {
    const out = join(dir, 'region');
    const { log, lines } = quiet();
    expect(await runReport({ contract: 'region', month: '2026-10', out, format: 'html,csv,json', dataDir }, log)).toBe(0);
    expect(lines[0]).toMatch(/^Rapport 2026-10 \(region\) : \d+ fichiers dans /);
    expect(execFileSync('sha256sum', ['-c', 'manifest.sha256'], { cwd: out }).toString()).toMatch(/report\.html: OK/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('99,84 %');
    // No September revision: no comparison section, and no error.
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).sections.map((s: { id: string }) => s.id)).not.toContain('previous');
  });

  it('refuses bad options with exit 2 and a message naming them', async () => {
    const out = join(dir, 'bad');
    const errors: string[] = [];
    const original = console.error;
    console.error = (s: string) => errors.push(s);
    try {
      expect(await runReport({ contract: 'region', out, dataDir }, () => undefined)).toBe(2);
      expect(await runReport({ contract: 'region', month: '2026-10', audience: 'establishment', out, dataDir }, () => undefined)).toBe(2);
      expect(await runReport({ contract: 'region', month: '2026-10', format: 'docx', out, dataDir }, () => undefined)).toBe(2);
      expect(await runReport({ contract: 'region', month: '2026-10', out: '/proc/x', dataDir }, () => undefined)).toBe(2);
      expect(await runReport({ contract: 'region', from: '2026-10-01', out, dataDir }, () => undefined)).toBe(2);
    } finally {
      console.error = original;
    }
    expect(errors.join('\n')).toMatch(/exactement une période[\s\S]*--tenant <uai>[\s\S]*--format : docx inconnu[\s\S]*--out : \/proc\/x est dans un système de fichiers virtuel[\s\S]*--from et --to vont ensemble/);
    expect(parseFormats('all,pdf')).toEqual(['html', 'pdf', 'csv', 'json']);
    expect(() => parseFormats('html,,pdf')).not.toThrow();
    expect(parseFormats('all')).toEqual(['html', 'pdf', 'csv', 'json']);
  });
});
