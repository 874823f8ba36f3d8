import { chmodSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes a folder private to the user running Vigie: the folder and every folder under it 0700, every file 0600
 * (issue 8 item 5). PGlite's file system layer creates its files 0666 whatever the umask (968 files in a fresh
 * store), and the embedded store holds screenshots and evidence that may show pupils' names. Called when the store
 * opens and when it closes; files PGlite creates in between are behind the 0700 folders.
 * Symbolic links are left alone. @throws the file system's error (a folder the user does not own).
 */
export function restrictTree(dir: string): void {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) restrictTree(path);
    else if (entry.isFile()) chmodSync(path, 0o600);
  }
}
