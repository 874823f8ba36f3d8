import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createMetrics } from '../../collector/metrics.js';

/**
 * The shipped Prometheus rules (issue 10 item 7): valid (`promtool check rules`), behaving as their unit tests say
 * (`promtool test rules`: both windows needed to page, a window without series never pages, `absent()` and staleness),
 * and written only on metric names Vigie exports (a renamed gauge breaks this test, not a region's alerting).
 * promtool comes with Debian's `prometheus` package (.ci/run installs it).
 */
const dir = fileURLToPath(new URL('../prometheus/', import.meta.url));
const promtool = (...args: string[]) => execFileSync('promtool', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('alerts/prometheus rules', () => {
  it('pass promtool check rules and promtool test rules', () => {
    expect(promtool('check', 'rules', 'vigie.rules.yml')).toContain('SUCCESS: 6 rules found');
    expect(promtool('test', 'rules', 'vigie.rules.test.yml')).toContain('SUCCESS');
  });

  it('use only metrics Vigie exports', async () => {
    const metrics = createMetrics();
    metrics.setBudgets([{ contract: 'c', clause: 'k', target: 0.99, availability: 1, coverage: 1, consumed: 0, remaining: 1, burnRates: { '1h': 0 } }], Date.now());
    const exported = new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name));
    const rules = (parse(readFileSync(`${dir}/vigie.rules.yml`, 'utf8')) as { groups: { rules: { expr: string }[] }[] }).groups.flatMap((g) => g.rules);
    const used = new Set(rules.flatMap((r) => r.expr.match(/\bvigie_[a-z_]+/g) ?? []));
    expect(used.size).toBeGreaterThanOrEqual(3);
    expect([...used].filter((n) => !exported.has(n))).toEqual([]);
  });
});
