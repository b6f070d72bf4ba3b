import { CommanderError } from 'commander';
import type { TestProject } from 'vitest/node';
import { optionsFromArgs } from './cli.js';
import { printable } from './printable.js';
import { runContract, type ContractResult } from './run-contract.js';

declare module 'vitest' {
  export interface ProvidedContext {
    contractResult: ContractResult;
  }
}

/**
 * The vitest route (`npm run test:contract`) runs the suite here, once, from the CONTRACT_*
 * variables, and hands the result to the test file: one test per rule. A set-up problem exits 2
 * from here, as the CLI does; test failures alone would make vitest exit 1, a contract failure.
 */
export default async function setup(project: TestProject): Promise<void> {
  let result: ContractResult;
  try {
    // CONTRACT_JUNIT and the other report files are written by runContract, as on every route:
    // one JUnit format whichever way the suite was run (vitest's junit reporter is not used).
    result = await runContract({ ...optionsFromArgs([]), log: (line) => console.log(printable(line)) });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    process.exit(2); // commander has said what is wrong with which variable
  }
  if (result.exitCode === 2) {
    console.error(
      result.setupError !== undefined ? result.report : `${result.report}\ncontract: ${result.stoppedBecause ?? 'incomplete run'}`,
    );
    process.exit(2);
  }
  console.log(`\n${result.report}\n`);
  project.provide('contractResult', result);
}
