import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RECIPIENTS, recentRuns, startAlertingVigie } from '../alerts/__tests__/sandbox-alerting.js';
import { startSmtp } from '../alerts/__tests__/smtp.js';
import { parseDurationSeconds } from '../core/duration.js';
import { startSandbox } from '../sandbox/index.js';
import type { BenchOptions, BenchReport, Benchmark } from './benchmark.js';
import { formatTable, median } from './stats.js';

/**
 * Issue 10: time from the first failing slot to the DOWN e-mail accepted by the SMTP server, printed as a multiple of
 * the slot length, with `vigie start`, real Chromium and the sandbox ENT, K = 2, in scaled time (a 6 s slot stands
 * for the 1-minute slot; the group wait is scaled the same way: 15 s of a minute → 1.5 s of 6 s). An SSO outage is
 * injected just after a slot starts; the first failing slot is the earliest `down` run's slot. Target: under
 * 2 slots + the group wait (DESIGN.md §5: K slots to confirm, then the platform decision).
 */
const SLOT = '6s';
const GROUP_WAIT = '1500ms';

export const benchmark: Benchmark = {
  name: 'alert-latency',
  description: 'first failing slot → DOWN e-mail accepted by a real SMTP server, in slots (vigie start, sandbox, K = 2, scaled time)',
  async run(opts: BenchOptions): Promise<BenchReport> {
    const trials = opts.runs ?? 3;
    const slotMs = parseDurationSeconds(SLOT) * 1000;
    const waitMs = parseDurationSeconds(GROUP_WAIT) * 1000;
    const dir = mkdtempSync(join(tmpdir(), 'vigie-alert-latency-'));
    const sandbox = await startSandbox({ port: 0, adminPort: 0 });
    const smtp = await startSmtp();
    const vigie = await startAlertingVigie({ sandbox, smtpPort: smtp.port, dir, journey: 'login', every: SLOT, groupWait: GROUP_WAIT });
    const latencies: number[] = [];
    const until = async (ok: () => boolean | Promise<boolean>, ms: number, what: string) => {
      const end = Date.now() + ms;
      while (!(await ok())) {
        opts.signal.throwIfAborted();
        if (Date.now() > end) throw new Error(`alert-latency: ${what} not seen within ${ms / 1000} s`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const downs = () => smtp.received.filter((m) => m.kind === 'down' && m.to.includes(RECIPIENTS.region));
    const recoveries = () => smtp.received.filter((m) => m.kind === 'recovery' && m.to.includes(RECIPIENTS.region));
    try {
      await until(async () => (await recentRuns(vigie)).filter((r) => r.status === 'up').length >= 2, 60_000, 'two up runs');
      for (let i = 0; i < trials; i++) {
        // Just after a slot start, so that the slot's run sees the outage.
        await new Promise((r) => setTimeout(r, slotMs - (Date.now() % slotMs) + 200));
        const injectedAt = Date.now();
        sandbox.faults.set({ outages: [{ host: 'sso' }] });
        await until(() => downs().length > i, 20 * slotMs, `DOWN e-mail ${i + 1}`);
        const firstDown = (await recentRuns(vigie, 50)).filter((r) => r.status === 'down' && Date.parse(r.scheduledAt) >= injectedAt - slotMs).map((r) => Date.parse(r.scheduledAt));
        latencies.push(downs()[i]!.at - Math.min(...firstDown));
        sandbox.faults.reset();
        await until(() => recoveries().length > i, 20 * slotMs, `RECOVERY e-mail ${i + 1}`);
        opts.progress(`alert-latency: trial ${i + 1}/${trials}: ${(latencies[i]! / slotMs).toFixed(2)} slots`);
      }
    } finally {
      await vigie.close();
      await sandbox.close();
      await smtp.close();
      rmSync(dir, { recursive: true, force: true });
    }
    const target = 2 + waitMs / slotMs;
    const rows = latencies.map((ms, i) => [`${i + 1}`, `${(ms / 1000).toFixed(1)} s`, (ms / slotMs).toFixed(2)]);
    rows.push(['median', `${(median(latencies) / 1000).toFixed(1)} s`, (median(latencies) / slotMs).toFixed(2)]);
    const text = [
      `alert-latency — first failing slot → DOWN e-mail accepted (slot ${SLOT}, K = 2, group wait ${GROUP_WAIT}); target under ${target.toFixed(2)} slots`,
      formatTable(['trial', 'latency', 'slots'], rows),
    ].join('\n');
    return { text, data: { slotMs, groupWaitMs: waitMs, latenciesMs: latencies, medianSlots: median(latencies) / slotMs, targetSlots: target } };
  },
};
