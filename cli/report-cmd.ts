import { parseInput } from '../core/config/validate.js';
import { VigieError, isVigieError } from '../core/errors.js';
import type { Lang } from '../core/text-format.js';
import { parseJson, periodOf, slaQuerySchema, type PeriodSpec, type SlaReport } from '../engine/index.js';
import { buildReportModel, checkOutDir, previousPeriod, reportFiles, writeReportFiles, REPORT_FORMATS, type Audience, type ReportFormat } from '../reports/index.js';
import { openSlaBackend, requireOnePeriod, withUsageErrors } from './sla-access.js';
import { vigieVersion } from './version.js';

export interface ReportOptions {
  contract: string;
  month?: string;
  from?: string;
  to?: string;
  schoolYear?: string;
  audience?: Audience;
  /** UAI: required by `--audience establishment`. */
  tenant?: string;
  /** Comma-separated formats or `all` (default: html,pdf,csv,json). */
  format?: string;
  out: string;
  lang?: Lang;
  /** Leave out the comparison with the previous period. */
  previous?: boolean;
  config?: string;
  dataDir?: string;
}

/** `--format html,pdf` or `all` → the formats, each checked. */
export function parseFormats(value: string | undefined): ReportFormat[] {
  const list = (value ?? 'all').split(',').map((s) => s.trim()).filter(Boolean);
  if (list.includes('all')) return [...REPORT_FORMATS];
  const bad = list.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (bad.length > 0 || list.length === 0) throw new VigieError('VALIDATION', `--format : ${bad.join(', ') || '(vide / empty)'} inconnu ; attendu ${REPORT_FORMATS.join(', ')} ou all / unknown; expected ${REPORT_FORMATS.join(', ')} or all`);
  return [...new Set(list)] as ReportFormat[];
}

/**
 * `vigie report --contract <id> (--month 2026-10 | --from … --to … | --school-year 2026-2027) [--audience region|union|
 * establishment --tenant <uai>] [--format html,pdf,csv,json|all] --out <dir> [--lang fr|en]`: the dysfunction and SLA
 * report (reports/), its files and `manifest.sha256` under `--out`. Exit 2 on a bad option or period; 0 otherwise,
 * listing the files written.
 */
export async function runReport(opts: ReportOptions, log: (s: string) => void = (s) => console.log(s)): Promise<number> {
  return withUsageErrors(async () => {
    requireOnePeriod(opts);
    if ((opts.from === undefined) !== (opts.to === undefined)) throw new VigieError('VALIDATION', '--from et --to vont ensemble / --from and --to go together');
    const out = checkOutDir(opts.out);
    const audience = opts.audience ?? 'region';
    if (audience === 'establishment' && !opts.tenant) throw new VigieError('VALIDATION', '--tenant <uai> : obligatoire avec --audience establishment / required with --audience establishment');
    if (audience !== 'establishment' && opts.tenant) throw new VigieError('VALIDATION', '--tenant : seulement avec --audience establishment / only with --audience establishment');
    const formats = parseFormats(opts.format);
    const lang = opts.lang ?? 'fr';
    const access = await openSlaBackend(opts);
    try {
      const ask = async (period: PeriodSpec): Promise<SlaReport> => {
        const q = parseInput(slaQuerySchema, { contract: opts.contract, ...period, ...(opts.tenant ? { tenant: opts.tenant } : {}), by: 'tenant', daily: true });
        return parseJson<SlaReport>(await access.backend.engine.slaReport(q));
      };
      const spec = periodOf({ month: opts.month, schoolYear: opts.schoolYear, from: opts.from, to: opts.to });
      const report = await ask(spec);
      // The previous period may hold nothing (before the first revision): then there is no comparison.
      const previous = opts.previous === false ? null : await ask(previousPeriod(spec, report.contract.timezone)).catch((err: unknown) => {
        if (isVigieError(err, 'NOT_FOUND') || isVigieError(err, 'VALIDATION')) return null;
        throw err;
      });
      const model = buildReportModel({ report, previous, audience, tenant: opts.tenant, lang, vigieVersion: vigieVersion() });
      const files = await reportFiles(model, formats, { chromiumPath: process.env.VIGIE_CHROMIUM || (access.config?.runner.chromiumPath ?? '/usr/bin/chromium') });
      const written = writeReportFiles(out, files);
      log(`Rapport ${model.period.label} (${audience}) : ${written.length} fichiers dans ${out} / report ${model.period.label} (${audience}): ${written.length} files in ${out}`);
      for (const f of written) log(`  ${f}`);
      return 0;
    } finally {
      await access.close();
    }
  });
}
