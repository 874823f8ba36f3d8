#!/usr/bin/env node
// Entry point of the `vigie` command. Vigie ships TypeScript sources and runs them through tsx's loader, so a clean
// checkout needs no build step (README "Quick start").
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
