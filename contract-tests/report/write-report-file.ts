import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A report file, its folder made first (CI paths like `reports/contract/x.json` need not exist). */
export function writeReportFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
