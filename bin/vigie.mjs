#!/usr/bin/env node
// Entry point of the `vigie` command. It runs the compiled JavaScript of dist/ (built at install by `prepare`,
// scripts/build.mjs) when dist/ matches the sources, and the TypeScript sources through tsx's loader otherwise, so a
// clean checkout works either way and an edited source is never shadowed by an old build (README "Quick start").
// VIGIE_FROM_SOURCE=1 forces the sources.
import { distIsFresh } from './build-state.mjs';

let main;
if (process.env.VIGIE_FROM_SOURCE !== '1' && distIsFresh()) {
  process.setSourceMapsEnabled(true);
  ({ main } = await import('../dist/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
