// The layer rules of .dependency-cruiser.cjs hold: an upward import, a cycle and an import across
// src/http's folders against their order fail `npm run lint`.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const depcruise = fileURLToPath(new URL('../../node_modules/dependency-cruiser/bin/dependency-cruise.mjs', import.meta.url));

async function cruise(dir: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [depcruise, 'src', '--config', `${root}/.dependency-cruiser.cjs`], {
      cwd: fileURLToPath(new URL(dir, import.meta.url)),
    });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

describe('the layer rules', () => {
  it('fail on an import from the domain up into http', async () => {
    const { code, out } = await cruise('./upward/');
    expect(code).not.toBe(0);
    expect(out).toContain('no-domain-to-http: src/domain/uses-http.ts → src/http/answer.ts');
  }, 30_000);

  it('fail on a cycle, even of types only', async () => {
    const { code, out } = await cruise('./cycle/');
    expect(code).not.toBe(0);
    expect(out).toContain('no-cycles: src/store/a.ts');
  }, 30_000);

  it('fail on an import across the folders of src/http that breaks their order, and only on those', async () => {
    const { code, out } = await cruise('./http-folders/');
    expect(code).not.toBe(0);
    const violations = out.split('\n').filter((line) => line.includes(' error '));
    expect(violations.map((line) => line.trim()).sort()).toEqual([
      'error http-admin-and-docs-only-from-build-app: src/http/logging/uses-docs.ts → src/http/docs/docs-routes.ts',
      'error http-admin-and-docs-only-from-build-app: src/http/pipeline/uses-admin.ts → src/http/admin/admin-routes.ts',
      'error http-build-app-on-top: src/http/logging/uses-build-app.ts → src/http/build-app.ts',
      'error http-errors-stand-alone: src/http/errors/uses-pipeline.ts → src/http/pipeline/api-step.ts',
    ]);
  }, 30_000);

  it('pass on the mock as it is', async () => {
    const { code, out } = await run(process.execPath, [depcruise, 'src', '--config', '.dependency-cruiser.cjs'], { cwd: root }).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );
    expect(out).toContain('no dependency violations found');
    expect(code).toBe(0);
  }, 30_000);
});
