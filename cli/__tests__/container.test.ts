import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);

describe('container files (checked statically: no Docker engine here)', () => {
  it('F31: the compose file and the image declare an init process', () => {
    const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8')) as { services: Record<string, { init?: boolean; command?: string[] }> };
    expect(compose.services.vigie?.init).toBe(true);
    const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
    expect(dockerfile).toMatch(/ENTRYPOINT \["\/usr\/bin\/tini", "--"/);
    expect(dockerfile).toMatch(/apt-get install[^\n]*\bchromium\b[^\n]*\btini\b/);
  });

  it('the compose service runs the vigie start command with a config', () => {
    const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8')) as { services: Record<string, { command?: string[]; environment?: Record<string, string> }> };
    expect(compose.services.vigie?.command).toEqual(['start', '--config', '/etc/vigie/vigie.yml']);
    expect(compose.services.vigie?.environment?.DATABASE_URL).toMatch(/^postgres:\/\//);
  });
});
