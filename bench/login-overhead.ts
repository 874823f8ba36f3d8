import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { journeySettingsSchema } from '../core/config/schema.js';
import type { RunResult } from '../core/run-types.js';
import { DEFAULT_LAUNCH_ARGS } from '../probes/browser-pool.js';
import { builtInJourneys } from '../probes/journeys/index.js';
import { sandboxProfile } from '../probes/profiles/sandbox.js';
import type { RunRequest } from '../probes/run-request.js';
import { createRunner, type Runner } from '../probes/runner.js';
import { startSandbox, type SandboxHandle } from '../sandbox/index.js';
import { bareLogin, type BareLoginOptions } from './bare-login.js';
import type { BenchOptions, BenchReport, Benchmark } from './benchmark.js';
import { countRequestsPerStep } from './step-requests.js';
import { TIMING_TARGET, formatMs, formatPercent, formatTable, median, overheadPercent, summarize, type DurationSummary } from './stats.js';
import { timingRows, type TimingRow, type TimingSample } from './timing-rows.js';

/**
 * Benchmark `login-overhead` (issue 3 item 7), against the in-process sandbox ENT, teacher of the first establishment:
 *
 * 1. Overhead: the `login` journey through Vigie's runner and through a bare playwright-core script doing the same
 *    clicks (bench/bare-login.ts), same Chromium and flags, a fresh context per run, interleaved (Vigie, bare, Vigie…)
 *    after warm-up runs. Each run is timed by wall clock around the whole call (context opened and closed included).
 *    Figures: median and p90 per side, overhead = Vigie / bare − 1. Target: under 5 %.
 * 2. Step timing error: a latency fault on the ENT home route (`GET <ent>/`), e.g. 300 ms and 1000 ms, against runs
 *    without it (interleaved); per step hit by the fault, error = |(median with − median without) − injected|, where
 *    injected = latency × the requests to that route answered during the step. Target: under 5 % or under 20 ms.
 */

const CHROMIUM = '/usr/bin/chromium';
const OVERHEAD_TARGET_PERCENT = 5;
const SETTINGS = journeySettingsSchema.parse({ timeout: 30, stepTimeout: 8, retry: false });

export const benchmark: Benchmark = {
  name: 'login-overhead',
  description: "login journey: Vigie's runner vs a bare playwright-core script (overhead), and step timing error against an injected latency",
  run: runLoginOverhead,
};

interface Side {
  samplesMs: number[];
  failures: string[];
}


async function runLoginOverhead(o: BenchOptions): Promise<BenchReport> {
  const runs = o.runs ?? 30;
  const warmup = o.warmup ?? 2;
  const timingRuns = o.timingRuns ?? 8;
  const latencies = o.latenciesMs ?? [300, 1000];
  // Answer times of the requests to the ENT home route, filled by the sandbox's request log while `watching`.
  const homeAnswers: number[] = [];
  let entHost = '';
  let sb: SandboxHandle | undefined;
  let runner: Runner | undefined;
  let bare: Browser | undefined;
  // The machine's load says how much to trust the figures (other processes share the 2 cores).
  const loadAtStart = loadavg()[0]!;
  try {
    sb = await startSandbox({
      port: 0,
      adminPort: 0,
      log: (line) => {
        if (entHost !== '' && line.includes(` ${entHost}/ `)) homeAnswers.push(Date.now());
      },
    });
    const est = sb.fixtures.establishments[0]!;
    entHost = est.entHost;
    const account = est.accounts.teacher;
    const persona = { id: `teacher-${est.uai}`, role: 'teacher' as const, username: account.username, password: account.password };
    const entUrl = sb.urls.ents[est.uai]!;
    const request = (): RunRequest => ({
      scheduleId: 'bench-login',
      journeyId: 'login',
      journey: builtInJourneys.login!,
      target: 'sandbox',
      tenant: est.uai,
      location: 'local',
      trigger: 'manual',
      scheduledAt: new Date(),
      slotEnd: null,
      revisionId: null,
      settings: SETTINGS,
      context: { profile: sandboxProfile, ssoUrl: sb!.urls.sso, entUrl, persona, personas: {}, testData: { classes: [] } },
    });
    const bareOptions: BareLoginOptions = { profile: sandboxProfile, entUrl, ssoUrl: sb.urls.sso, persona, stepTimeoutMs: SETTINGS.stepTimeout * 1000 };

    // Same executable and flags on both sides; no recycling during the benchmark (a relaunch would land in one run).
    runner = createRunner({ chromiumPath: CHROMIUM, headless: true, recycleAfterRuns: 1_000_000, logger: pino({ level: 'silent' }), launchArgs: DEFAULT_LAUNCH_ARGS });
    bare = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: DEFAULT_LAUNCH_ARGS });
    const chromiumVersion = bare.version();

    const vigieOnce = async (side: Side | null): Promise<RunResult | undefined> => {
      const t0 = performance.now();
      const r = await runner!.run(request());
      const ms = performance.now() - t0;
      if (r.status !== 'up') side?.failures.push(`${r.status}${r.kind ? ` (${r.kind})` : ''}: ${r.reason ?? ''}`);
      else side?.samplesMs.push(ms);
      return r.status === 'up' ? r : undefined;
    };
    const bareOnce = async (side: Side | null): Promise<number | undefined> => {
      const t0 = performance.now();
      try {
        await bareLogin(bare!, bareOptions);
        const ms = performance.now() - t0;
        side?.samplesMs.push(ms);
        return ms;
      } catch (err) {
        side?.failures.push(err instanceof Error ? err.message.split('\n')[0]! : String(err));
        return undefined;
      }
    };
    const checkAborted = () => {
      if (o.signal.aborted) throw new Error('interrupted');
    };

    // 1. Overhead.
    o.progress(`login-overhead: ${warmup} warm-up run(s) per side`);
    for (let i = 0; i < warmup; i++) {
      checkAborted();
      await vigieOnce(null);
      await bareOnce(null);
    }
    const vigie: Side = { samplesMs: [], failures: [] };
    const plain: Side = { samplesMs: [], failures: [] };
    const pairedPercents: number[] = [];
    for (let i = 0; i < runs; i++) {
      checkAborted();
      const v = await vigieOnce(vigie);
      const b = await bareOnce(plain);
      // Paired: each Vigie run against the bare run right after it, which saw about the same machine load.
      if (v && b !== undefined) pairedPercents.push(overheadPercent(vigie.samplesMs.at(-1)!, b));
      if ((i + 1) % 10 === 0 || i + 1 === runs) o.progress(`login-overhead: ${i + 1}/${runs} interleaved pairs`);
    }
    if (vigie.samplesMs.length === 0 || plain.samplesMs.length === 0) {
      throw new Error(`login never succeeded (Vigie: ${vigie.failures[0] ?? 'ok'}; bare: ${plain.failures[0] ?? 'ok'})`);
    }
    const vigieSummary = summarize(vigie.samplesMs);
    const bareSummary = summarize(plain.samplesMs);
    const overheadMedian = overheadPercent(vigieSummary.medianMs, bareSummary.medianMs);
    const overheadP90 = overheadPercent(vigieSummary.p90Ms, bareSummary.p90Ms);
    const overheadPaired = pairedPercents.length > 0 ? median(pairedPercents) : null;

    // 2. Step timing error: conditions interleaved (none, 300, 1000, none, …) so that a drift hits them alike.
    const samples: TimingSample[] = [];
    let timingFailures = 0;
    for (let i = 0; i < timingRuns; i++) {
      for (const latencyMs of [0, ...latencies]) {
        checkAborted();
        sb.faults.set({ latency: latencyMs > 0 ? [{ host: entHost, path: '/', ms: latencyMs }] : [] });
        homeAnswers.length = 0;
        const r = await vigieOnce(null);
        if (!r) {
          timingFailures += 1;
          continue;
        }
        const attempt = r.attempts.at(-1)!;
        const counts = countRequestsPerStep(attempt.steps, homeAnswers);
        const stepMs: Record<string, number> = {};
        const delayedIn: Record<string, number> = {};
        for (const s of attempt.steps) {
          stepMs[s.name] = s.durationMs;
          delayedIn[s.name] = counts.get(s.name) ?? 0;
        }
        samples.push({ latencyMs, stepMs, delayed: delayedIn });
      }
      o.progress(`login-overhead: timing ${i + 1}/${timingRuns} (latencies 0, ${latencies.join(', ')} ms)`);
    }
    sb.faults.reset();
    const timing = timingRows(samples, latencies);
    if (timing.length === 0) throw new Error('no step timing could be measured (every timing run failed)');

    const data = {
      benchmark: 'login-overhead',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version, chromium: chromiumVersion, loadAverage1m: { start: round1(loadAtStart), end: round1(loadavg()[0]!) } },
      config: { runs, warmup, timingRuns, latenciesMs: latencies, journey: 'login', persona: 'teacher', tenant: est.uai },
      overhead: {
        vigie: { ...vigieSummary, failures: vigie.failures.length, samplesMs: vigie.samplesMs.map(round1) },
        bare: { ...bareSummary, failures: plain.failures.length, samplesMs: plain.samplesMs.map(round1) },
        medianPercent: overheadMedian,
        p90Percent: overheadP90,
        pairedMedianPercent: overheadPaired,
        pairs: pairedPercents.length,
        targetPercent: OVERHEAD_TARGET_PERCENT,
        withinTarget: overheadMedian < OVERHEAD_TARGET_PERCENT,
        ...(vigie.failures.length + plain.failures.length > 0 ? { firstFailures: [...vigie.failures.slice(0, 3), ...plain.failures.slice(0, 3)] } : {}),
      },
      timing: {
        route: `GET ${entHost}/`,
        failures: timingFailures,
        target: TIMING_TARGET,
        rows: timing,
        // Every run, for a closer look at the medians.
        samples: samples.map((x) => ({ ...x, stepMs: Object.fromEntries(Object.entries(x.stepMs).map(([k, v]) => [k, round1(v)])) })),
      },
    };
    return { data, text: renderText(data, vigieSummary, bareSummary, vigie, plain, timing) };
  } finally {
    // Everything we started, whatever happened: the runner's Chromium, the bare Chromium, the sandbox.
    await runner?.close().catch(() => undefined);
    await bare?.close().catch(() => undefined);
    await sb?.close().catch(() => undefined);
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function renderText(
  data: { machine: { cpus: number; node: string; chromium: string; loadAverage1m: { start: number; end: number } }; config: { runs: number; warmup: number; timingRuns: number }; overhead: { medianPercent: number; p90Percent: number; pairedMedianPercent: number | null; pairs: number }; timing: { route: string; failures: number } },
  v: DurationSummary,
  b: DurationSummary,
  vigie: Side,
  plain: Side,
  timing: TimingRow[],
): string {
  const { machine, config, overhead } = data;
  const sideRow = (name: string, s: DurationSummary, side: Side) => [name, String(s.runs), String(side.failures.length), formatMs(s.medianMs), formatMs(s.p90Ms), formatMs(s.minMs), formatMs(s.maxMs)];
  const verdict = (ok: boolean) => (ok ? 'within target' : 'OVER target');
  const lines = [
    `login-overhead — login journey (sandbox ENT, teacher): Vigie's runner vs a bare playwright-core script`,
    `Chromium ${machine.chromium} (${CHROMIUM}), ${machine.cpus} CPUs (1-min load average ${machine.loadAverage1m.start} → ${machine.loadAverage1m.end}), Node ${machine.node}`,
    `${config.runs} runs per side, interleaved, after ${config.warmup} warm-up run(s) per side; wall clock of each whole run (fresh context included)`,
    '',
    formatTable(['side', 'runs', 'failed', 'median', 'p90', 'min', 'max'], [sideRow("Vigie's runner", v, vigie), sideRow('bare playwright-core', b, plain)]),
    '',
    `overhead (Vigie / bare − 1): on medians ${formatPercent(overhead.medianPercent)}   target < ${OVERHEAD_TARGET_PERCENT} %: ${verdict(overhead.medianPercent < OVERHEAD_TARGET_PERCENT)}`,
    `  on p90 ${formatPercent(overhead.p90Percent)}; median of the ${overhead.pairs} paired ratios (each Vigie run / the bare run after it) ${overhead.pairedMedianPercent === null ? '—' : formatPercent(overhead.pairedMedianPercent)}`,
    ...(vigie.failures.length + plain.failures.length > 0 ? [`first failures: ${[...vigie.failures.slice(0, 2), ...plain.failures.slice(0, 2)].join(' | ')}`] : []),
    '',
    `Step timing error — latency fault on ${data.timing.route}, ${config.timingRuns} runs per condition, medians` +
      (data.timing.failures > 0 ? ` (${data.timing.failures} run(s) failed, left out)` : ''),
    formatTable(
      ['latency', 'step', 'runs', 'delayed req.', 'injected', 'without', 'with', 'with − without', 'error', 'error %', 'target', ''],
      timing.map((t) => [
        formatMs(t.latencyMs),
        t.step,
        t.runsLeftOut > 0 ? `${t.runs} (+${t.runsLeftOut} left out)` : String(t.runs),
        String(t.delayedRequests),
        formatMs(t.injectedMs),
        formatMs(t.withoutMedianMs),
        formatMs(t.withMedianMs),
        formatMs(t.deltaMs),
        `${t.errorMs.toFixed(1)} ms`,
        `${t.errorPercent.toFixed(1)} %`,
        `< ${Math.round(t.allowedMs)} ms`,
        t.withinTarget ? 'ok' : 'OVER',
      ]),
    ),
    `(target: error under 5 % of the injected latency or under 20 ms; figures are reported, never enforced)`,
  ];
  return lines.join('\n');
}
