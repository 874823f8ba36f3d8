// Helper process for store-pglite.int.test.ts: takes the lock of the folder given as argument, says so on stdout,
// and holds it until SIGTERM (then releases it and exits) or SIGKILL (leaving the lock behind).
import { lockDataDir } from '../data-dir-lock.js';

const dir = process.argv[2];
if (!dir) throw new Error('hold-lock.ts: missing argument, the data folder to lock (usage: hold-lock.ts <dir>)');
const release = await lockDataDir(dir);
process.stdout.write('locked\n');
const keepAlive = setInterval(() => undefined, 1000);
process.on('SIGTERM', () => {
  clearInterval(keepAlive);
  void release().then(() => process.exit(0));
});
