import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { createRunner } from '../runner.js';
import { journey } from '../journey.js';
import { CHROMIUM, sandboxRequest, settings, silentLogger } from './helpers/sandbox-run.js';
import { chromiumRssKb } from './helpers/processes.js';

/**
 * F30 scaled (issue 3: 200 runs, recycling every 50): a fresh BrowserContext per run and a recycled browser keep
 * memory flat, and no slot is lost while recycling. Negative control: contexts never closed must trip the same
 * memory check.
 */

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox({ port: 0, adminPort: 0 });
});
afterAll(async () => {
  await sb?.close();
});

/** The F30 Chromium criterion: RSS at a later point of the same recycle cycle ≤ 1.5 × the earlier one. */
const chromiumGrew = (earlierKb: number, laterKb: number) => laterKb > 1.5 * earlierKb;

const open = journey('open-home', async (ctx) => {
  await ctx.step('open', () => ctx.goto(ctx.page, ctx.entUrl + '/'));
});

it('200 runs, recycled every 50: 0 contexts and pages after each run, 3 recycles, no run lost, memory flat', async () => {
  const runner = createRunner({ chromiumPath: CHROMIUM, headless: true, recycleAfterRuns: 50, logger: silentLogger });
  const rss: Record<number, { node: number; chromium: number }> = {};
  let up = 0;
  try {
    for (let i = 1; i <= 200; i++) {
      const r = await runner.run(sandboxRequest(sb, open, { settings: settings({ retry: false }) }));
      if (r.status === 'up') up += 1;
      const s = runner.stats();
      expect([s.openContexts, s.openPages]).toEqual([0, 0]);
      if (i === 50 || i === 75 || i === 175 || i === 200) rss[i] = { node: process.memoryUsage().rss, chromium: chromiumRssKb() };
    }
    expect(up).toBe(200);
    expect(runner.stats().launches).toBe(4);
    expect(runner.stats().runs).toBe(200);
    expect(rss[200]!.node).toBeLessThanOrEqual(rss[50]!.node + 50 * 1024 * 1024);
    // Same point of the recycle cycle (25 runs after a relaunch).
    expect(chromiumGrew(rss[75]!.chromium, rss[175]!.chromium)).toBe(false);
  } finally {
    await runner.close();
  }
}, 240_000);

it('negative control: contexts left open make the same memory check fail', async () => {
  const runner = createRunner({ chromiumPath: CHROMIUM, headless: true, recycleAfterRuns: 10_000, logger: silentLogger });
  const leaky = journey('leaky', async (ctx) => {
    await ctx.step('open', async () => {
      // Bypasses the runner's context tracking on purpose: never closed until the browser goes.
      const context = await ctx.browserContext.browser()!.newContext();
      const page = await context.newPage();
      await page.goto(ctx.entUrl + '/');
    });
  });
  try {
    let at5 = 0;
    for (let i = 1; i <= 30; i++) {
      await runner.run(sandboxRequest(sb, leaky, { settings: settings({ retry: false }) }));
      if (i === 5) at5 = chromiumRssKb();
    }
    expect(chromiumGrew(at5, chromiumRssKb())).toBe(true);
  } finally {
    await runner.close();
  }
}, 240_000);
