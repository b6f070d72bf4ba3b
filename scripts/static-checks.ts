// `npm run check`: the static checks `npm test` starts with (types, lint, formatting, layers), run
// side by side: each is mostly one core's work, so on two cores the four take the time of the
// longest (ESLint's) instead of their sum. Each one's output is printed whole when it ends; the
// exit code is non-zero if any failed.
import { spawn } from 'node:child_process';

const CHECKS: Array<[name: string, script: string]> = [
  ['types', 'typecheck'],
  ['eslint', 'lint:eslint'],
  ['prettier', 'lint:format'],
  ['layers', 'lint:layers'],
];

function run(name: string, script: string): Promise<boolean> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '-s', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', (error) => {
      output += String(error);
    });
    child.on('close', (code) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(
        `${code === 0 ? 'ok    ' : 'FAILED'} ${name} (npm run ${script}, ${seconds} s)\n${output.trimEnd() ? `${output.trimEnd()}\n` : ''}`,
      );
      resolve(code === 0);
    });
  });
}

const results = await Promise.all(CHECKS.map(([name, script]) => run(name, script)));
process.exitCode = results.every(Boolean) ? 0 : 1;
