import { execFileSync } from 'node:child_process';

/** Process-tree helpers for leak checks: only processes descending from this test process count. */

interface Proc {
  pid: number;
  ppid: number;
  stat: string;
  comm: string;
}

function listProcesses(): Proc[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,stat=,comm='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 4)
    .map(([pid, ppid, stat, ...comm]) => ({ pid: Number(pid), ppid: Number(ppid), stat: stat!, comm: comm.join(' ') }));
}

/** Live (non-zombie) Chromium processes whose parent chain leads to `root` (default: this process). */
export function chromiumDescendants(root = process.pid): Proc[] {
  const all = listProcesses();
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const descends = (p: Proc): boolean => {
    for (let cur: Proc | undefined = p, n = 0; cur && n < 64; cur = byPid.get(cur.ppid), n++) if (cur.ppid === root) return true;
    return false;
  };
  return all.filter((p) => /chrom/i.test(p.comm) && !p.stat.startsWith('Z') && descends(p));
}

/** Zombie (`<defunct>`) children of `root`. */
export function zombieChildren(root = process.pid): Proc[] {
  return listProcesses().filter((p) => p.ppid === root && p.stat.startsWith('Z'));
}

/** Waits until `fn` returns true or `ms` pass; returns the last value. */
export async function waitUntil(fn: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (fn()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Total resident memory (kB) of the live Chromium processes under `root`. */
export function chromiumRssKb(root = process.pid): number {
  const pids = chromiumDescendants(root).map((p) => p.pid);
  if (pids.length === 0) return 0;
  const out = execFileSync('ps', ['-o', 'rss=', '-p', pids.join(',')], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isFinite(n))
    .reduce((a, b) => a + b, 0);
}
