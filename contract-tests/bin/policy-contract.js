#!/usr/bin/env node
// `bin` entry of the contract suite: runs the TypeScript CLI through tsx, so no build step is needed.
import process from 'node:process';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli.ts');
process.exitCode = await main(process.argv.slice(2));
