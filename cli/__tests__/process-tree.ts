import { execFileSync } from 'node:child_process';

/** Every process descending from `rootPid` (read from `ps`), with its command name. */
export function descendants(rootPid: number): { pid: number; comm: string; args: string }[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,comm=,args='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .map(([pid, ppid, comm, ...args]) => ({ pid: Number(pid), ppid: Number(ppid), comm: comm ?? '', args: args.join(' ') }));
  const children = new Map<number, typeof rows>();
  for (const r of rows) children.set(r.ppid, [...(children.get(r.ppid) ?? []), r]);
  const found: { pid: number; comm: string; args: string }[] = [];
  const stack = [rootPid];
  while (stack.length) {
    for (const c of children.get(stack.pop()!) ?? []) {
      stack.push(c.pid);
      found.push({ pid: c.pid, comm: c.comm, args: c.args });
    }
  }
  return found;
}

/** PIDs of Chromium processes descending from `rootPid`, for leak checks. */
export function chromiumDescendants(rootPid: number): number[] {
  return descendants(rootPid)
    .filter((p) => /chrom/.test(p.comm))
    .map((p) => p.pid);
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
