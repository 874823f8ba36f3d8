import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { DEFAULT_LAUNCH_ARGS } from '../../core/chromium-flags.js';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../db/index.js';
import { closeSharedPglite, freshPgliteStore } from '../../db/__tests__/shared-pglite.js';
import { createEngine, parseJson, type EngineComputations, type SlaReport } from '../../engine/index.js';
import { buildReportModel, manifest, reportFiles, type Audience, type ReportModel } from '../index.js';
import { A, B, C, NAMES, NOW, storeMonth } from './month-fixture.js';

/**
 * Issue 11 acceptance: a month replayed with known outages, a maintenance window, a correction, a declared incident
 * and a logout failure (month-fixture.ts, figures by hand there), rendered in every format; the figures of HTML, CSV
 * and JSON checked against the SLA engine, the PDF's text (pdftotext) against the HTML, an establishment's report
 * searched for any other establishment, and the same data giving the same bytes.
 */
let store: Store;
let engine: EngineComputations;
const sla = async (tenant?: string) => parseJson<SlaReport>(await engine.slaReport({ contract: 'region', month: '2026-10', by: 'tenant', daily: true, ...(tenant ? { tenant } : {}) }));
const model = async (audience: Audience, lang: 'fr' | 'en' = 'fr', tenant?: string): Promise<ReportModel> =>
  buildReportModel({ report: await sla(tenant), previous: null, audience, tenant, lang, vigieVersion: '0.1.0-test' });
const text = (files: Map<string, Buffer>, name: string) => files.get(name)!.toString('utf8');
/** The PDF's text in reading order (a cell's wrapped lines stay together). */
const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8');
/** Whitespace folded, the PDF's hyphenation and line breaks aside: the text a reader sees. */
const fold = (s: string) => s.replace(/\s+/g, ' ');
/** The words of an HTML page's text: styles, charts and tags removed, entities decoded. */
const htmlWords = (html: string) =>
  fold(html.replace(/<style>[\s\S]*?<\/style>|<svg[\s\S]*?<\/svg>|<title>[\s\S]*?<\/title>/g, ' ').replace(/<br>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'))
    .split(' ')
    .filter(Boolean);

beforeAll(async () => {
  store = await freshPgliteStore();
  await storeMonth(store);
  engine = createEngine(store, { clock: () => NOW });
}, 120_000);
afterAll(async () => {
  await engine?.close();
  await closeSharedPglite();
});

describe('the October report (region)', () => {
  let files: Map<string, Buffer>;
  let report: SlaReport;
  beforeAll(async () => {
    report = await sla();
    files = await reportFiles(buildReportModel({ report, previous: null, audience: 'region', lang: 'fr', vigieVersion: '0.1.0-test' }), ['html', 'csv', 'json', 'pdf']);
  }, 120_000);

  it('the engine gives the figures worked out by hand', () => {
    const h24 = report.clauses.find((c) => c.id === 'h24')!;
    expect(h24.corrected.figures.availabilityPercent).toBe(99.8414);
    expect(h24.raw.figures.availabilityPercent).toBe(99.7887);
    expect(Object.fromEntries(h24.byTenant!.map((t) => [t.tenant, [t.raw.figures.availabilityPercent, t.corrected.figures.availabilityPercent]]))).toEqual({ [A]: [99.5957, 99.5957], [B]: [99.8652, 100], [C]: [100, 100] });
    expect(h24.penalties!.total).toBe(600);
  });

  it('HTML, CSV and JSON show the engine figures; the daily table adds up to the period, the 25-hour day included', () => {
    const h24 = report.clauses.find((c) => c.id === 'h24')!;
    const html = text(files, 'report.html');
    expect(html).toContain('99,84 %');
    expect(html).toContain('99,60 %'); // A, 99.5957 with two decimals
    expect(html).toContain('600,00');
    expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/); // no ISO instant for a reader
    const json = JSON.parse(text(files, 'report.json')) as ReportModel;
    const summary = json.sections.find((s) => s.id === 'summary')!.tables[0]!;
    expect(summary.rows[0]!.slice(1, 5)).toEqual([99, 99.8414, 99.7887, h24.corrected.figures.coveragePercent]);
    const daily = text(files, 'csv/h24-daily.csv').trim().split('\r\n').map((l) => l.split(','));
    expect(daily[0]).toEqual(['date', 'counted_min', 'up_min', 'down_min', 'unknown_min', 'excluded_min', 'not_monitored_min', 'availability_percent', 'coverage_percent']);
    const days = daily.slice(1, -1);
    expect(days).toHaveLength(31);
    for (const col of [1, 2, 3, 5, 6]) expect(days.reduce((a, r) => a + Number(r[col]), 0)).toBeCloseTo(Number(daily.at(-1)![col]), 6);
    expect(Number(daily.at(-1)![1])).toBe(h24.corrected.sums.countedMinutes);
    expect(days.find((r) => r[0] === '2026-10-25')!.slice(1, 2)).toEqual([String(25 * 60 * 3)]);
    // C before its creation: not monitored, no availability (never 0 % or 100 %).
    expect(days.find((r) => r[0] === '2026-10-14')!.slice(6, 8)).toEqual(['1440', '100']);
    const heat = json.sections.find((s) => s.id === 'clause-h24')!.heatMaps[0]!;
    const cRow = heat.rows.find((r) => r.label.includes(C))!;
    expect(cRow.values.slice(0, 14)).toEqual(Array(14).fill(null));
    expect(cRow.values[14]).toBe(100);
    expect(heat.rows.find((r) => r.label.includes(A))!.values[5]).toBe(Math.round(((1440 - 180) / 1440) * 100 * 1e4) / 1e4);
  });

  it('the chronology, security, corrections and maintenance sections hold the facts, declared incidents marked', () => {
    const json = JSON.parse(text(files, 'report.json')) as ReportModel;
    const rows = (id: string) => json.sections.find((s) => s.id === id)!.tables[0]!.rows;
    const chronology = rows('chronology');
    expect(chronology.map((r) => [r[0], r[3], r[5], r[8]])).toEqual([
      ['2026-10-06T09:00:00+02:00', 'login', 180, 'oui'],
      ['2026-10-08T16:00:00+02:00', 'logout', 60, 'non'],
      // Measured, then excluded by the correction below: the chronology keeps it (the figures do not).
      ['2026-10-20T10:00:00+02:00', 'login', 60, 'non'],
      ['2026-10-22T14:00:00+02:00', '*', null, null],
    ]);
    expect(String(chronology[3]![11])).toContain('déclaré à la main');
    // The failure seen, in words: the login timed out, the logout left the session open, B's login answered an error.
    expect(chronology.map((r) => r[10])).toEqual(['délai dépassé', 'session non fermée', 'erreur HTTP', null]);
    expect(rows('security').map((r) => [r[0], r[4]])).toEqual([['2026-10-08T16:00:00+02:00', `${NAMES[A]} (${A})`]]);
    expect(rows('corrections').map((r) => [r[0], r[3], r[4]])).toEqual([
      ['correction (exclusion après coup)', 'Panne du fournisseur d’identité académique reconnue', 'rectorat'],
      ['incident déclaré', 'Appel impossible signalé par la vie scolaire', 'cpe'],
    ]);
    expect(rows('maintenance').map((r) => [r[1], r[3], r[7]])).toEqual([['mep-13', '2026-10-13T20:00:00+02:00', 'non'], ['mep-13', '2026-10-13T20:00:00+02:00', 'non']]);
    expect(rows('establishments').map((r) => [r[0], r[3]])).toEqual([[A, '2026-10-01T00:00:00+02:00'], [B, '2026-10-01T00:00:00+02:00'], [C, '2026-10-15T00:00:00+02:00']]);
  });

  it('the PDF is A4, paged, and its text holds the HTML tables’ cells', () => {
    const pdf = files.get('report.pdf')!;
    const info = execFileSync('pdfinfo', ['-'], { input: pdf }).toString();
    expect(info).toMatch(/Page size:\s+59\d(\.\d+)? x 84\d(\.\d+)? pts \(A4\)/);
    expect(info).toMatch(/Tagged:\s+yes/);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toBeGreaterThan(2);
    const t = fold(pdfText(pdf));
    expect(t).toContain(`page ${pages} / ${pages}`);
    for (const s of ['99,84 %', '99,60 %', 'Chronologie des incidents', 'Sécurité : déconnexions', 'Méthode', NAMES[C]!, 'mar. 06/10/2026']) expect(t).toContain(s);
    // Every word a reader sees in the HTML (charts aside) is in the PDF: nothing cut off, hidden or overflowing.
    const pdfWords = new Set(t.split(' '));
    const missing = htmlWords(text(files, 'report.html')).filter((w) => !pdfWords.has(w));
    expect([...new Set(missing)]).toEqual([]);
  });

  it('no table cell overflows at the printed width (A4 portrait, landscape for wide sections); CI keeps the pages as PNG', async () => {
    const browser = await chromium.launch({ executablePath: process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium', args: DEFAULT_LAUNCH_ARGS });
    try {
      const page = await browser.newPage();
      await page.emulateMedia({ media: 'print' });
      const overflowing: string[] = [];
      // A4 at 96 dpi minus the page margins (12 mm each side): 703 px portrait, 1032 px landscape.
      for (const [width, selector] of [[703, 'section:not(.wide)'], [1032, 'section.wide']] as const) {
        await page.setViewportSize({ width, height: 1000 });
        await page.setContent(text(files, 'report.html'));
        overflowing.push(...(await page.$$eval(`${selector} td, ${selector} th`, (cells) => cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => `${c.closest('section')!.id}: ${c.textContent}`))));
      }
      expect(overflowing).toEqual([]);
      expect(await page.$$eval('.chart svg rect, .chart svg path', (els) => els.length)).toBeGreaterThan(100);
    } finally {
      await browser.close();
    }
    const dir = process.env.VIGIE_REPORT_ARTIFACTS;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'report-2026-10.pdf'), files.get('report.pdf')!);
      execFileSync('pdftoppm', ['-png', '-r', '60', join(dir, 'report-2026-10.pdf'), join(dir, 'page')]);
    }
  });

  it('the same data gives the same bytes (HTML, CSV, JSON) and the manifest lists each file’s hash', async () => {
    const again = await reportFiles(await model('region'), ['html', 'csv', 'json']);
    for (const [name, bytes] of again) expect(bytes.equals(files.get(name)!), name).toBe(true);
    const lines = manifest(again).trim().split('\n');
    expect(lines).toHaveLength(again.size);
    for (const line of lines) {
      const [hash, path] = line.split('  ');
      expect(createHash('sha256').update(again.get(path!)!).digest('hex')).toBe(hash);
    }
  });
});

describe('audiences and language', () => {
  it('an establishment report holds no other establishment’s name, UAI or figure, in any format', async () => {
    const files = await reportFiles(await model('establishment', 'fr', A), ['html', 'csv', 'json', 'pdf']);
    const outputs = [...files].map(([name, b]) => [name, name.endsWith('.pdf') ? pdfText(b) : b.toString('utf8')] as const);
    for (const [name, body] of outputs) {
      for (const other of [B, C, NAMES[B]!, NAMES[C]!, 'Panne du fournisseur']) expect(body.includes(other), `${other} in ${name}`).toBe(false);
    }
    const html = text(files, 'report.html');
    expect(html).toContain(NAMES[A]);
    expect(html).toContain('99,60 %');
    expect(html).toContain('Appel impossible signalé par la vie scolaire');
    await expect(model('establishment', 'fr')).rejects.toThrow(/tenant/);
    expect(() => buildReportModel({ report: {} as SlaReport, audience: 'establishment', tenant: A, lang: 'fr', vigieVersion: 'x' })).toThrow();
  });

  it('days the imported school calendar does not cover are flagged in the summary, and a month in progress says where it stops', async () => {
    const report = await sla();
    report.clauses[0]!.calendarMissing = ['du 2026-10-05 au 2026-10-09'];
    for (const c of report.clauses) c.to = '2026-10-20T08:00:00.000Z';
    const summary = buildReportModel({ report, audience: 'region', lang: 'fr', vigieVersion: 'x' }).sections.find((s) => s.id === 'summary')!;
    expect(summary.paragraphs).toContain('Connexion 24/7 — Calendrier scolaire manquant : ces jours ne sont pas comptés : du 2026-10-05 au 2026-10-09.');
    expect(summary.paragraphs[0]).toBe('Période en cours : les chiffres s’arrêtent au mardi 20 octobre 2026, 10 h 00.');
  });

  it('the union report puts the chronology first; English gives English numbers and words', async () => {
    const union = await model('union');
    expect(union.sections.map((s) => s.id).slice(0, 2)).toEqual(['chronology', 'summary']);
    const en = await reportFiles(await model('region', 'en'), ['html']);
    const html = text(en, 'report.html');
    expect(html).toContain('99.84%');
    expect(html).toContain('Incident chronology');
    expect(html).toContain('Tue 06/10/2026<br>09:00');
    expect(html).not.toContain('conforme');
  });
});
