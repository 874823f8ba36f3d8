import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger, logFormat } from '../logger.js';
import { classifyDbError } from '../../db/db.js';

/** Issue 9 item 5: readable logs at a terminal, JSON otherwise, local times with their offset in both. */
function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('the process logger', () => {
  it('chooses pretty at a terminal, JSON elsewhere, and VIGIE_LOG_FORMAT wins', () => {
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({ VIGIE_LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ VIGIE_LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(logFormat({ VIGIE_LOG_FORMAT: 'xml' }, false)).toBe('json');
  });

  it('writes JSON lines with a local ISO time and its offset, secrets redacted', () => {
    const out = sink();
    createLogger({}, 'vigie', out.stream, false).info({ password: 'hunter2', schedule: 's1' }, 'run finished');
    const line = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}([+-]\d\d:\d\d)$/);
    expect(Math.abs(Date.parse(String(line.time)) - Date.now())).toBeLessThan(60_000);
    expect(line).toMatchObject({ msg: 'run finished', schedule: 's1', password: '[secret]' });
    expect(out.text()).not.toContain('hunter2');
  });

  it('writes one readable line per entry at a terminal, time first, no secret', () => {
    const out = sink();
    createLogger({ VIGIE_LOG_FORMAT: 'pretty' }, 'vigie', out.stream, false).warn({ password: 'hunter2', driftMs: 61000 }, 'run started late');
    const text = out.text();
    expect(text).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d\d:\d\d WARN \(vigie\): run started late\n/);
    expect(text).toContain('driftMs: 61000');
    expect(text).not.toContain('hunter2');
    expect(text).not.toMatch(/^\{/);
  });
});

describe('errors in log lines (a store down must not flood the log)', () => {
  const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });

  it('an unreachable database: its text once, no stack trace, the errno kept', () => {
    const out = sink();
    const err = classifyDbError(refused());
    createLogger({ VIGIE_LOG_FORMAT: 'json' }, 'vigie', out.stream, false).warn({ err }, 'could not read paused schedules');
    const line = JSON.parse(out.text().trim()) as { err: Record<string, unknown> };
    expect(line.err.message).toBe('base de données indisponible / database unavailable: connect ECONNREFUSED 127.0.0.1:5432');
    expect(line.err).not.toHaveProperty('stack');
    expect(line.err).toMatchObject({ code: 'UNAVAILABLE', causeCode: 'ECONNREFUSED' });
  });

  it('no stack either in the pretty format; a bug keeps its stack and the causes it does not quote', () => {
    const pretty = sink();
    createLogger({ VIGIE_LOG_FORMAT: 'pretty' }, 'vigie', pretty.stream, false).warn({ err: classifyDbError(refused()) }, 'store down');
    expect(pretty.text()).not.toMatch(/\n\s+at /);
    expect(pretty.text().match(/ECONNREFUSED 127\.0\.0\.1:5432/g)).toHaveLength(1);
    const json = sink();
    const bug = new TypeError('cannot read x', { cause: new Error('inner detail') });
    createLogger({ VIGIE_LOG_FORMAT: 'json' }, 'vigie', json.stream, false).error({ err: bug }, 'runner bug');
    const line = JSON.parse(json.text().trim()) as { err: { message: string; stack: string } };
    expect(line.err.message).toBe('cannot read x: inner detail');
    expect(line.err.stack).toMatch(/TypeError: cannot read x\n\s+at /);
  });
});
