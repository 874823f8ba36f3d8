// Whether dist/ (compiled by scripts/build.mjs, run by `npm ci` / `npm install` through `prepare`) matches the
// TypeScript sources: bin/vigie.mjs runs the compiled JavaScript when it does, and the sources through tsx otherwise
// (a developer's edit, or an install without typescript such as `npm ci --omit=dev`). Plain JavaScript: it runs
// before any loader. Walking the ~200 source files costs about 2 ms.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file is in bin/). */
export const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The folders compiled to dist/ (tsconfig.build.json "include"), tests left out. */
export const SOURCE_DIRS = ['cli', 'core', 'db', 'engine', 'probes', 'collector', 'sandbox'];

/** Newest modification time (epoch ms) of the files under the source folders (tests excluded), and their count. */
export function sourceState(root = ROOT) {
  let newest = 0;
  let files = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '__tests__' || e.name === 'node_modules') continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else {
        files += 1;
        newest = Math.max(newest, statSync(path).mtimeMs);
      }
    }
  };
  for (const d of SOURCE_DIRS) walk(join(root, d));
  return { newest, files };
}

/** True when dist/build.json records the sources as they are now (same newest mtime and file count). */
export function distIsFresh(root = ROOT) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, 'dist', 'build.json'), 'utf8'));
  } catch {
    return false;
  }
  const now = sourceState(root);
  return stamp.sources?.newest === now.newest && stamp.sources?.files === now.files;
}
