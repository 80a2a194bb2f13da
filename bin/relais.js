#!/usr/bin/env node
// The administrator's command-line tool. The commands are TypeScript, run through tsx so
// that they share the domain code of the web app without a separate build.
import { register } from 'tsx/esm/api';

register();
// Output piped into a program that stops reading early (`| head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
