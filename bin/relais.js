#!/usr/bin/env node
// The administrator's command-line tool. The commands are TypeScript, run through tsx so
// that they share the domain code of the web app without a separate build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
