import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A generated file: where it goes and what it must contain. */
export type GeneratedFiles = ReadonlyMap<string, string>;

/** Files whose committed content differs from a fresh generation. */
export async function staleFiles(files: GeneratedFiles): Promise<string[]> {
  const stale: string[] = [];
  for (const [file, contents] of files) {
    if ((await readFile(file, 'utf8').catch(() => null)) !== contents) stale.push(file);
  }
  return stale;
}

/** `script` writes the files; `script --check` fails, naming them, when any has drifted. */
export async function writeOrCheck(name: string, generate: () => Promise<GeneratedFiles>): Promise<void> {
  try {
    const files = await generate();
    if (process.argv.includes('--check')) {
      const stale = await staleFiles(files);
      if (stale.length > 0) throw new Error(`out of date: ${stale.join(', ')}; run npm run ${name} and commit the result`);
      console.log(`${name}: ${files.size} files up to date`);
      return;
    }
    for (const [file, contents] of files) {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, contents);
    }
    console.log(`${name}: wrote ${files.size} files`);
  } catch (error) {
    console.error(`${name}: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
