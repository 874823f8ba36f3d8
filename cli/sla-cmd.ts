import { formatSlaCsv } from './sla-csv.js';
import { formatSlaTable, type Lang } from './sla-format.js';
import { currentUser, openSlaBackend, requireOnePeriod, withUsageErrors } from './sla-access.js';
import { parseInput } from '../core/config/validate.js';
import { parseJson, slaQuerySchema } from '../engine/index.js';
import { localAndUtc } from './corrections-cmd.js';

export interface SlaOptions {
  contract: string;
  month?: string;
  from?: string;
  to?: string;
  schoolYear?: string;
  tenant?: string;
  clause?: string;
  /** `tenant`: the figures of each establishment too. */
  by?: 'tenant';
  format?: 'table' | 'json' | 'csv';
  lang?: Lang;
  config?: string;
  dataDir?: string;
}

/**
 * `vigie sla --contract <id> (--month 2026-10 | --from … --to … | --school-year 2026-2027)`: the figures of each
 * clause, raw and corrected (engine/sla-report.ts), as a table (French labels, English in parentheses; `--lang en`),
 * JSON (the same document as `GET /api/v1/sla`) or CSV. Exit 2 on a bad period or option.
 */
export async function runSla(opts: SlaOptions, log: (s: string) => void = (s) => console.log(s)): Promise<number> {
  return withUsageErrors(async () => {
    requireOnePeriod(opts);
    const access = await openSlaBackend(opts);
    try {
      const query = { contract: opts.contract, month: opts.month, schoolYear: opts.schoolYear, from: opts.from, to: opts.to, tenant: opts.tenant, clause: opts.clause, by: opts.by };
      const q = parseInput(slaQuerySchema, Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)));
      const report = parseJson(await access.backend.engine.slaReport(q));
      const format = opts.format ?? 'table';
      log(format === 'json' ? JSON.stringify(report, null, 2) : format === 'csv' ? formatSlaCsv(report) : formatSlaTable(report, opts.lang ?? 'fr'));
      return 0;
    } finally {
      await access.close();
    }
  });
}

/** `vigie audit [--from --to --actor --action --limit]`: the audit trail, newest first. */
export async function runAudit(opts: { from?: string; to?: string; actor?: string; action?: string; limit?: string; json?: boolean; config?: string; dataDir?: string }, log: (s: string) => void = (s) => console.log(s)): Promise<number> {
  return withUsageErrors(async () => {
    const access = await openSlaBackend(opts);
    try {
      const query = Object.fromEntries(Object.entries({ from: opts.from, to: opts.to, actor: opts.actor, action: opts.action, limit: opts.limit }).filter(([, v]) => v !== undefined));
      const entries = await access.backend.inputs.listAudit(access.ctx, query);
      if (opts.json) log(JSON.stringify(entries, null, 2));
      else {
        const zone = await access.backend.inputs.timezone(access.ctx);
        for (const e of entries) log(`${localAndUtc(e.at, zone)}  ${e.actor}  ${e.action}  ${e.subject ?? ''}  ${JSON.stringify(e.details)}`);
      }
      return 0;
    } finally {
      await access.close();
    }
  });
}

export { currentUser };
