import { execFileSync } from 'node:child_process';

/** PIDs of Chromium processes descending from `rootPid` (read from `ps`), for leak checks. */
export function chromiumDescendants(rootPid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,comm='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .map(([pid, ppid, comm]) => ({ pid: Number(pid), ppid: Number(ppid), comm }));
  const children = new Map<number, number[]>();
  for (const r of rows) children.set(r.ppid, [...(children.get(r.ppid) ?? []), r.pid]);
  const found: number[] = [];
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    for (const c of children.get(pid) ?? []) {
      stack.push(c);
      if (/chrom/.test(rows.find((r) => r.pid === c)?.comm ?? '')) found.push(c);
    }
  }
  return found;
}

/** True while a process exists (zombies included: they still need reaping). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `pid comm state` of a process, for failure messages. */
export function describeProcess(pid: number): string {
  try {
    return execFileSync('ps', ['-o', 'pid=,comm=,stat=,ppid=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return `${pid} (gone)`;
  }
}
