#!/usr/bin/env -S node --max-semi-space-size=8
// The installed bin: Node's compile cache first (Node 22+; what it caches is every later start's
// compile time), then the CLI. The build bundles our code behind it (dist/bin/); the CLI is
// imported, not statically, so its dependencies load after the cache is on.
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
await import('./cli.js');
