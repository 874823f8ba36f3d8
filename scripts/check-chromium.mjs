// Says clearly when Debian's Chromium and the Chromium that playwright-core was built for drift apart (a major
// version apart usually still works; several majors apart, CDP calls start failing in odd ways).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkgDir = require.resolve('playwright-core').replace(/index\.js$/, '');
const exe = process.env.VIGIE_CHROMIUM || '/usr/bin/chromium';
let installed = null;
try {
  installed = Number(/(\d+)\./.exec(execFileSync(exe, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))?.[1]);
} catch {
  console.error(`Chromium not found at ${exe}: install it with "apt-get install -y chromium" or set VIGIE_CHROMIUM.`);
  process.exit(1);
}
const browsers = JSON.parse(readFileSync(`${pkgDir}browsers.json`, 'utf8')).browsers;
const expected = Number(/^(\d+)\./.exec(browsers.find((b) => b.name === 'chromium')?.browserVersion ?? '')?.[1]);
const pw = JSON.parse(readFileSync(`${pkgDir}package.json`, 'utf8')).version;
if (!expected) console.log(`playwright-core ${pw}; Chromium ${installed} at ${exe}.`);
else if (installed === expected) console.log(`playwright-core ${pw} was built for Chromium ${expected}; ${exe} is Chromium ${installed}: OK.`);
else {
  console.warn(
    `WARNING: playwright-core ${pw} was built for Chromium ${expected} but ${exe} is Chromium ${installed}. ` +
      'Pin playwright-core to the release that matches Debian\'s Chromium (see README "Prerequisites").',
  );
  process.exit(2);
}
