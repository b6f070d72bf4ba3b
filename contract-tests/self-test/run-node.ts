import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs node with `args` from the repo root, without blocking this process's event loop (the servers under test live here). */
export function runNode(args: string[], env: Record<string, string> = {}): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The contract CLI from source, with `nodeFlags` for node itself (a heap cap, say). */
export const runCli = (args: string[], nodeFlags: string[] = []): Promise<NodeRun> =>
  runNode([...nodeFlags, '--import', 'tsx', 'contract-tests/cli.ts', ...args]);
