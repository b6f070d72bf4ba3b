// The package as a new user gets it: `npm pack` of a fresh copy of the repo, installed without dev
// dependencies into an empty project folder.
import { cpSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { REPO_ROOT } from './spawn-mock.js';
import { runCommand } from './spawn-command.js';

const NOT_COPIED = new Set(['node_modules', 'dist', '.git', 'coverage', 'reports', '.tmp']);

/** A temp folder holding `app/`, a project with the packed package installed; returns both paths. */
export async function packedApp(prefix: string): Promise<{ work: string; app: string }> {
  const work = mkdtempSync(join(tmpdir(), prefix));
  // A clean copy stands in for a fresh clone: no dist/ left from earlier builds, no stray tarballs.
  const clone = join(work, 'clone');
  cpSync(REPO_ROOT, clone, {
    recursive: true,
    filter: (source) => {
      const path = relative(REPO_ROOT, source);
      return !NOT_COPIED.has(path.split(/[\\/]/)[0] ?? '') && !path.endsWith('.tgz');
    },
  });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
  const pack = await runCommand('npm', ['pack', '--pack-destination', work], { cwd: clone, timeoutMs: 150_000 });
  expect(pack.code, pack.stderr).toBe(0);
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack made no tarball:\n${pack.stdout}\n${pack.stderr}`);

  const app = join(work, 'app');
  cpSync(join(work, tarball), join(app, tarball));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'pack-test-app', private: true, type: 'module' }));
  // From the npm cache when it holds everything (it does after one online install); else online.
  const install = (mode: string) =>
    runCommand('npm', ['install', mode, '--omit=dev', '--no-audit', '--no-fund', `./${tarball}`], { cwd: app, timeoutMs: 150_000 });
  let installed = await install('--offline');
  if (installed.code !== 0) installed = await install('--prefer-offline');
  expect(installed.code, installed.stderr).toBe(0);
  return { work, app };
}
