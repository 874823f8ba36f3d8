import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger, logFormat } from '../logger.js';

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
