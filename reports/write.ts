import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { VigieError } from '../core/errors.js';
import { renderHtml } from './render-html.js';
import { renderPdf, type PdfOptions } from './render-pdf.js';
import type { Cell, ReportModel, ReportTable } from './types.js';

/** The formats `vigie report --format` takes (`all`: every one). */
export const REPORT_FORMATS = ['html', 'pdf', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * A table as CSV (RFC 4180: comma, CRLF, quotes doubled): the header is the columns' machine names, values as in the
 * model — numbers with a decimal point, instants ISO with their offset, text in the report's language (a text that a
 * spreadsheet would read as a formula gets a leading `'`). A spreadsheet's input: the HTML is the reader's.
 */
export function tableCsv(t: ReportTable): string {
  const cell = (v: Cell) => {
    if (v === null) return '';
    if (typeof v === 'number') return String(v);
    // A text starting like a formula (a reason typed as `=HYPERLINK(…)`) is prefixed with ' so no spreadsheet runs it
    // (OWASP "CSV injection").
    const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [t.columns.map((c) => c.key).join(','), ...t.rows.map((r) => r.map(cell).join(',')), ...(t.total ? [t.total.map(cell).join(',')] : [])];
  return `${lines.join('\r\n')}\r\n`;
}

/** Every table of the model, in section order (a table id appears once). */
export function allTables(model: ReportModel): ReportTable[] {
  return model.sections.flatMap((s) => s.tables);
}

/** The files of a report: relative path → bytes. HTML, CSV and JSON depend on the model only (same data, same bytes). */
export async function reportFiles(model: ReportModel, formats: readonly ReportFormat[], pdf?: PdfOptions): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const html = formats.includes('html') || formats.includes('pdf') ? renderHtml(model) : '';
  if (formats.includes('html')) files.set('report.html', Buffer.from(html, 'utf8'));
  if (formats.includes('json')) files.set('report.json', Buffer.from(`${JSON.stringify(model, null, 2)}\n`, 'utf8'));
  if (formats.includes('csv')) for (const t of allTables(model)) files.set(`csv/${t.id}.csv`, Buffer.from(tableCsv(t), 'utf8'));
  if (formats.includes('pdf')) files.set('report.pdf', await renderPdf(html, model, pdf ?? { chromiumPath: '/usr/bin/chromium' }));
  return files;
}

/** `manifest.sha256`: one `<sha256>  <path>` line per file, sorted by path (`sha256sum -c manifest.sha256` checks it). */
export function manifest(files: ReadonlyMap<string, Buffer>): string {
  return [...files]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, bytes]) => `${createHash('sha256').update(bytes).digest('hex')}  ${path}\n`)
    .join('');
}

/** Pseudo file systems a report may not be written to (Node's recursive mkdir loops forever under /proc). */
const PSEUDO_FS = ['/proc', '/sys', '/dev'];

/**
 * Checks that a report can be written under `dir`, before anything is computed: not empty, not under /proc, /sys or
 * /dev, and its nearest existing folder is a writable folder. Returns the absolute path.
 * @throws VigieError `VALIDATION` naming `--out` and the reason.
 */
export function checkOutDir(dir: string): string {
  if (dir.trim() === '') throw new VigieError('VALIDATION', '--out : dossier vide / empty folder');
  const abs = resolve(dir);
  if (PSEUDO_FS.some((p) => abs === p || abs.startsWith(`${p}/`))) throw new VigieError('VALIDATION', `--out : ${abs} est dans un système de fichiers virtuel / is on a pseudo file system`);
  let existing = abs;
  while (!existsSync(existing)) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) throw new VigieError('VALIDATION', `--out : ${existing} n'est pas un dossier / is not a folder`);
  try {
    accessSync(existing, constants.W_OK);
  } catch {
    throw new VigieError('VALIDATION', `--out : ${existing} n'est pas accessible en écriture / is not writable`);
  }
  return abs;
}

/**
 * Writes the files and their manifest under `dir` (created); returns the paths written, manifest last. All-or-nothing
 * as far as a file system allows: the files are first written to a temporary folder inside `dir`; only then is a report
 * written there before removed (the files its `manifest.sha256` lists, nothing else, so no stale PDF or CSV stays) and
 * each new file moved into place, the manifest last. A failure while writing leaves the earlier report as it was.
 * @throws VigieError `VALIDATION` when `dir` or a file's place cannot take the report (a file where a folder goes…).
 */
export function writeReportFiles(dir: string, files: ReadonlyMap<string, Buffer>): string[] {
  const out = checkOutDir(dir);
  for (const path of [...files.keys(), 'manifest.sha256']) {
    const full = join(out, path);
    if (existsSync(full) && statSync(full).isDirectory()) throw new VigieError('VALIDATION', `--out : ${full} est un dossier, un fichier du rapport doit y aller / is a folder where a report file goes`);
    for (let up = dirname(full); up.length > out.length; up = dirname(up)) {
      if (existsSync(up) && !statSync(up).isDirectory()) throw new VigieError('VALIDATION', `--out : ${up} est un fichier, un dossier du rapport doit y aller / is a file where a report folder goes`);
    }
  }
  mkdirSync(out, { recursive: true });
  const staging = mkdtempSync(join(out, '.vigie-report-'));
  try {
    const entries = [...files, ['manifest.sha256', Buffer.from(manifest(files), 'utf8')] as const];
    for (const [path, bytes] of entries) {
      mkdirSync(dirname(join(staging, path)), { recursive: true });
      writeFileSync(join(staging, path), bytes);
    }
    removePreviousReport(out);
    const written: string[] = [];
    for (const [path] of entries) {
      const full = join(out, path);
      mkdirSync(dirname(full), { recursive: true });
      renameSync(join(staging, path), full);
      written.push(full);
    }
    return written;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
/** Removes the files listed by `dir/manifest.sha256` (paths inside `dir` only), then the manifest. */
function removePreviousReport(dir: string): void {
  const old = join(dir, 'manifest.sha256');
  if (!existsSync(old)) return;
  for (const line of readFileSync(old, 'utf8').split('\n')) {
    const path = /^[0-9a-f]{64} {2}(.+)$/.exec(line)?.[1];
    if (!path) continue;
    const full = resolve(dir, path);
    if (relative(resolve(dir), full).startsWith('..')) continue; // a manifest naming ../x does not delete outside
    rmSync(full, { force: true });
  }
  rmSync(old, { force: true });
}
