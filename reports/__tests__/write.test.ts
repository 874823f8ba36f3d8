import { describe, expect, it } from 'vitest';
import { manifest, normalisePdfDates, previousPeriod, tableCsv } from '../index.js';

describe('report files', () => {
  it('CSV: RFC 4180 quoting, numbers as numbers, formulas neutralised, a total row last', () => {
    const csv = tableCsv({
      id: 't',
      title: 't',
      columns: [{ key: 'reason', label: 'Motif', kind: 'text' }, { key: 'min', label: 'Minutes', kind: 'minutes' }],
      rows: [['a, "b"\nc', -5], ['=HYPERLINK("http://x")', 1.5], ['@SUM(1)', null], ['+cmd', 0]],
      total: ['Total', -2.5],
    });
    expect(csv).toBe('reason,min\r\n"a, ""b""\nc",-5\r\n"\'=HYPERLINK(""http://x"")",1.5\r\n\'@SUM(1),\r\n\'+cmd,0\r\nTotal,-2.5\r\n');
  });

  it('manifest: sha256sum lines sorted by path', () => {
    const files = new Map([['z.csv', Buffer.from('z')], ['csv/a.csv', Buffer.from('')]]);
    expect(manifest(files)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  csv/a.csv\n594e519ae499312b29433b7dd8a97ff068defcba9755b6d5d00e84c524d67b06  z.csv\n');
  });

  it('PDF dates become the generation time, same length (cross-reference offsets kept)', () => {
    const pdf = Buffer.from("<< /CreationDate (D:20261204193012+00'00') /ModDate (D:20261204193012+00'00') /Other (D:1) >>", 'latin1');
    const out = normalisePdfDates(pdf, '2026-11-01T07:00:00+01:00').toString('latin1');
    expect(out).toBe("<< /CreationDate (D:20261101060000+00'00') /ModDate (D:20261101060000+00'00') /Other (D:1) >>");
    expect(out.length).toBe(pdf.length);
  });

  it('the previous period: month, school year, or the same span just before', () => {
    expect(previousPeriod({ month: '2026-01' }, 'Europe/Paris')).toEqual({ month: '2025-12' });
    expect(previousPeriod({ schoolYear: '2026-2027' }, 'Europe/Paris')).toEqual({ schoolYear: '2025-2026' });
    expect(previousPeriod({ from: '2026-10-05', to: '2026-10-12' }, 'Europe/Paris')).toEqual({ from: '2026-09-28T00:00:00.000+02:00', to: '2026-10-05T00:00:00.000+02:00' });
  });
});

describe('previous period across a DST change', () => {
  it('a local week before 1 November starts at local midnight too', () => {
    expect(previousPeriod({ from: '2026-11-02', to: '2026-11-09' }, 'Europe/Paris')).toEqual({ from: '2026-10-26T00:00:00.000+01:00', to: '2026-11-02T00:00:00.000+01:00' });
    expect((previousPeriod({ from: '2026-10-26', to: '2026-11-02' }, 'Europe/Paris') as { from: string }).from).toBe('2026-10-19T00:00:00.000+02:00');
  });
});

describe('writing a report', () => {
  it('a second report in the same folder removes the first one’s files, and only those', async () => {
    const { mkdtempSync, existsSync, writeFileSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { writeReportFiles } = await import('../index.js');
    const dir = mkdtempSync(join(tmpdir(), 'vigie-write-'));
    writeFileSync(join(dir, 'mine.txt'), 'not a report file');
    writeFileSync(join(tmpdir(), 'outside.txt'), 'x');
    writeReportFiles(dir, new Map([['report.pdf', Buffer.from('pdf')], ['csv/a.csv', Buffer.from('a')]]));
    // A tampered manifest naming a file outside the folder deletes nothing outside.
    writeFileSync(join(dir, 'manifest.sha256'), `${readFileSync(join(dir, 'manifest.sha256'), 'utf8')}${'0'.repeat(64)}  ../outside.txt\n`);
    writeReportFiles(dir, new Map([['report.html', Buffer.from('html')]]));
    expect(['report.pdf', 'csv/a.csv'].map((f) => existsSync(join(dir, f)))).toEqual([false, false]);
    expect(['report.html', 'mine.txt', 'manifest.sha256'].map((f) => existsSync(join(dir, f)))).toEqual([true, true, true]);
    expect(existsSync(join(tmpdir(), 'outside.txt'))).toBe(true);
    expect(readFileSync(join(dir, 'manifest.sha256'), 'utf8')).toMatch(/^[0-9a-f]{64} {2}report\.html\n$/);
  });
});

describe('where a report may be written', () => {
  it('refuses /proc, a file, an empty path, and a folder or file in a report file’s place, leaving the earlier report whole', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { checkOutDir, writeReportFiles } = await import('../index.js');
    // Node's recursive mkdir under /proc never returns: refused before any write.
    expect(() => checkOutDir('/proc/x')).toThrow(/--out : \/proc\/x est dans un système de fichiers virtuel/);
    expect(() => checkOutDir('')).toThrow(/--out : dossier vide/);
    const dir = mkdtempSync(join(tmpdir(), 'vigie-out-'));
    writeFileSync(join(dir, 'afile'), 'x');
    expect(() => checkOutDir(join(dir, 'afile', 'sub'))).toThrow(/n'est pas un dossier \/ is not a folder/);
    const out = join(dir, 'report');
    writeReportFiles(out, new Map([['report.html', Buffer.from('v1')], ['csv/a.csv', Buffer.from('a1')]]));
    const before = readFileSync(join(out, 'manifest.sha256'), 'utf8');
    // `csv` became a file: nothing of the earlier report is touched.
    const clash = join(dir, 'clash');
    writeReportFiles(clash, new Map([['report.html', Buffer.from('v1')]]));
    writeFileSync(join(clash, 'csv'), 'a file');
    expect(() => writeReportFiles(clash, new Map([['report.html', Buffer.from('v2')], ['csv/a.csv', Buffer.from('a2')]]))).toThrow(/csv est un fichier, un dossier du rapport doit y aller/);
    expect(readFileSync(join(clash, 'report.html'), 'utf8')).toBe('v1');
    mkdirSync(join(out, 'report.pdf'));
    expect(() => writeReportFiles(out, new Map([['report.pdf', Buffer.from('pdf')]]))).toThrow(/report\.pdf est un dossier/);
    expect(readFileSync(join(out, 'manifest.sha256'), 'utf8')).toBe(before);
    expect(readFileSync(join(out, 'csv/a.csv'), 'utf8')).toBe('a1');
    // No staging folder left behind.
    expect(existsSync(out) && (await import('node:fs')).readdirSync(out).filter((f) => f.startsWith('.vigie-report-'))).toEqual([]);
  });
});
