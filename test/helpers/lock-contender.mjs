// A mock's start on a --db file, reduced to what decides who serves (the lock, taken as
// open-store.ts takes it), as a process of its own held at the starting line: it loads, says
// `ready`, takes the lock when it reads `go` on stdin, says `serving` or `refused: <why>`, and holds
// the lock until stdin ends. Plain JS, given file-lock.ts compiled (argv[3]), so that many start in
// a moment even on a busy machine: test/store/lock-takeover.test.ts.
import process from 'node:process';
import { createInterface } from 'node:readline';

const [file, lockModule] = process.argv.slice(2);
const { lockFile } = await import(lockModule);
let release = Promise.resolve(undefined);

async function start() {
  try {
    const held = await lockFile(file);
    process.stdout.write('serving\n');
    return held;
  } catch (error) {
    process.stdout.write(`refused: ${error.message}\n`);
    return undefined;
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line === 'go') release = start();
});
lines.on('close', () => void release.then((held) => held?.()));
process.stdout.write('ready\n');
