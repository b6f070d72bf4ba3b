#!/usr/bin/env node
// `bin` entry of the contract suite, compiled to dist/contract-tests/bin/. cli.ts runs main() only
// when it is the script itself, which the bin's symlink in node_modules/.bin would defeat.
import { main } from '../cli.js';

process.exitCode = await main(process.argv.slice(2));
