import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
// @ts-expect-error plain JavaScript module of bin/ (no types): it runs before any loader
import { distIsFresh, sourceState, SOURCE_DIRS } from '../../bin/build-state.mjs';

/** Issue 9 items 2 and 6: what ships — licence, ignore files, image, engines, docs, and the compiled build's freshness. */
const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const pkg = JSON.parse(read('package.json')) as { license: string; engines: { node: string }; dependencies: Record<string, string>; scripts: Record<string, string> };

describe('packaging', () => {
  it('has a LICENSE matching package.json', () => {
    expect(pkg.license).toBe('AGPL-3.0-or-later');
    const text = read('LICENSE');
    expect(text).toMatch(/^GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007/);
    expect(text).toContain('13. Remote Network Interaction; Use with the GNU General Public License.');
  });

  it('keeps local data, configs, secrets and installed trees out of git and of the image', () => {
    const lines = (path: string) => read(path).split('\n').map((l) => l.trim());
    const docker = lines('.dockerignore');
    for (const entry of ['node_modules', 'dist', '.vigie', '**/fingerprint.key', 'vigie.yml', '.git']) expect(docker, entry).toContain(entry);
    const git = lines('.gitignore');
    for (const entry of ['node_modules/', '.vigie/', 'dist/', 'vigie.yml']) expect(git, entry).toContain(entry);
  });

  it('builds the image in a stage and gives its working folder to the user it runs as', () => {
    const dockerfile = read('Dockerfile');
    const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(dockerfile).toMatch(/RUN node scripts\/build\.mjs && npm prune --omit=dev/);
    expect(final).toMatch(/COPY --from=build --chown=node:node \/opt\/vigie \/opt\/vigie/);
    expect(final.indexOf('USER node')).toBeGreaterThan(final.indexOf('--chown=node:node'));
  });

  it('every dependency installed accepts the Node versions the README and package.json promise (20 and 22)', () => {
    const refused: string[] = [];
    for (const name of Object.keys(pkg.dependencies)) {
      // Read from node_modules directly: some packages' "exports" do not expose their package.json.
      const dep = JSON.parse(read(`node_modules/${name}/package.json`)) as { version: string; engines?: { node?: string } };
      const range = dep.engines?.node;
      if (!range) continue;
      for (const node of ['20.6.0', '20.19.0', '22.12.0']) {
        if (semver.satisfies(node, pkg.engines.node) && !semver.satisfies(node, range)) refused.push(`${name}@${dep.version} wants node ${range}, not ${node}`);
      }
    }
    expect(refused).toEqual([]);
    expect(read('README.md')).toMatch(/Node\.js 20 or 22/);
  });

  it('carries the design and conventions in docs/, identical to the shared contract when it is beside the repository', () => {
    for (const [doc, heading] of [['DESIGN.md', /^# /m], ['CONVENTIONS.md', /^# /m]] as const) {
      const text = read(`docs/${doc}`);
      expect(text).toMatch(heading);
      const shared = join(root, '..', 'shared', doc);
      if (existsSync(shared)) expect(text, `docs/${doc} differs from ../shared/${doc}: copy it again`).toBe(readFileSync(shared, 'utf8'));
    }
  });

  it('compiles at install (prepare) and the vigie command runs the build only while it matches the sources', () => {
    expect(pkg.scripts.prepare).toBe('node scripts/build.mjs');
    const dir = mkdtempSync(join(tmpdir(), 'vigie-build-state-'));
    try {
      for (const d of SOURCE_DIRS as string[]) mkdirSync(join(dir, d, '__tests__'), { recursive: true });
      writeFileSync(join(dir, 'core', 'a.ts'), 'export {};\n');
      mkdirSync(join(dir, 'dist'));
      expect(distIsFresh(dir)).toBe(false); // no stamp: sources
      writeFileSync(join(dir, 'dist', 'build.json'), JSON.stringify({ sources: sourceState(dir) }));
      expect(distIsFresh(dir)).toBe(true);
      // A test edited: still fresh (tests are not compiled). A source edited: stale, the sources run.
      writeFileSync(join(dir, 'core', '__tests__', 'a.test.ts'), '');
      expect(distIsFresh(dir)).toBe(true);
      const later = new Date(Date.now() + 5_000);
      utimesSync(join(dir, 'core', 'a.ts'), later, later);
      expect(distIsFresh(dir)).toBe(false);
      writeFileSync(join(dir, 'dist', 'build.json'), JSON.stringify({ sources: sourceState(dir) }));
      writeFileSync(join(dir, 'engine', 'new.ts'), 'export {};\n');
      utimesSync(join(dir, 'engine', 'new.ts'), new Date(0), new Date(0)); // an added file, even an old one
      expect(distIsFresh(dir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
