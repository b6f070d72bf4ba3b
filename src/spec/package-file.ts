import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A file shipped with the package (the spec), by its path from the package root: the nearest
 * folder above this module with a package.json. Source (src/) and compiled code (dist/src/) sit at
 * different depths, in a clone and in node_modules alike, so a fixed `../..` would fit only one.
 */
export function packageFile(relative: string): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, relative);
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}
