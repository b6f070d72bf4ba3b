import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import {
  ContractSetupError,
  contractOptions,
  DEFAULT_FUZZ_RUNS,
  DEFAULT_SEED,
  loadProfile,
  parseCount,
  parseRules,
  settingsFromEnv,
  type ContractSettings,
} from './config.js';
import { writeJunit } from './junit.js';
import { renderReport, runContract } from './runner.js';
import { resolveTarget } from './target.js';

const USAGE = `Usage: contract [options]   (environment: CONTRACT_BASE_URL, CONTRACT_TOKEN, CONTRACT_PROFILE, …)
  --base-url URL     the Policy API to judge (default: start our mock in-process)
  --profile FILE     ids that exist in the target (default: fixtures/contract-profile.json)
  --token T          bearer token to send
  --expect-auth      also check that missing or wrong tokens are refused
  --junit PATH       write a JUnit XML report
  --fuzz-runs N      generated inputs per operation (default ${DEFAULT_FUZZ_RUNS})
  --seed N           seed of the generated inputs (default ${DEFAULT_SEED})
  --rules a,b        only these rules
Exit code: 0 the target conforms, 1 it breaks a rule, 2 bad set-up (unreachable, bad profile or flag).`;

/** Flags override the environment, which overrides the defaults. */
export function settingsFromArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ContractSettings | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'base-url': { type: 'string' },
      profile: { type: 'string' },
      token: { type: 'string' },
      'expect-auth': { type: 'boolean' },
      junit: { type: 'string' },
      'fuzz-runs': { type: 'string' },
      seed: { type: 'string' },
      rules: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const fromEnv = settingsFromEnv(env);
  return {
    baseUrl: values['base-url'] ?? fromEnv.baseUrl,
    token: values.token ?? fromEnv.token,
    profilePath: values.profile ?? fromEnv.profilePath,
    expectAuth: values['expect-auth'] ?? fromEnv.expectAuth,
    junitPath: values.junit ?? fromEnv.junitPath,
    fuzzRuns: parseCount('--fuzz-runs', values['fuzz-runs'], fromEnv.fuzzRuns),
    seed: parseCount('--seed', values.seed, fromEnv.seed),
    rules: parseRules(values.rules) ?? fromEnv.rules,
  };
}

export async function main(argv: string[]): Promise<number> {
  let settings: ContractSettings | 'help';
  try {
    settings = settingsFromArgs(argv);
  } catch (error) {
    console.error(`contract: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (settings === 'help') {
    console.log(USAGE);
    return 0;
  }
  let target;
  try {
    // Read the profile first: a bad one is a set-up error before any server starts.
    const profile = loadProfile(settings.profilePath);
    target = await resolveTarget(settings);
    const report = await runContract(contractOptions(settings, target.baseUrl, profile));
    console.log(renderReport(report));
    if (settings.junitPath) writeJunit(settings.junitPath, report);
    return report.conforms ? 0 : 1;
  } catch (error) {
    if (error instanceof ContractSetupError) {
      console.error(`contract: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await target?.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
