import { LEVELS, type Level } from './basis.js';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { pathToFileURL } from 'node:url';
import { ContractSetupError, parseCount, parseSeconds } from './config.js';
import {
  DEFAULT_DEADLINE_MS,
  DEFAULT_LEVEL,
  DEFAULT_FUZZ_RUNS,
  DEFAULT_HAR_MAX_ENTRIES,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MODEL_MAX_FAILURES,
  DEFAULT_MODEL_RUNS,
  DEFAULT_PROFILE_PATH,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_SEED,
  DEFAULT_TOKEN,
  DEFAULT_WAIT_FOR_TARGET_MS,
} from './defaults.js';
import { observeMain } from './observe/observe-cli.js';
import { parseHeader } from './header-option.js';
import { parseRules } from './parse-rules.js';
import { printable } from './printable.js';
import { replayMain } from './replay-cli.js';
import { runContract, type RunContractOptions } from './run-contract.js';

// Commander's own message for a bad value, from our parsers' (also used for the environment).
const parser =
  <T>(parse: (raw: string, fallback: T) => T) =>
  (raw: string, previous: T): T => {
    try {
      return parse(raw, previous);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
const count = (name: string) => parser<number>((raw, fallback) => parseCount(name, raw, fallback));
const seconds = (name: string) => parser<number>((raw, fallback) => parseSeconds(name, raw, fallback));

function program(): Command {
  return new Command()
    .name('cedana-policy-contract')
    .description('Judge a running implementation of the Cedana Policy API against its contract')
    .addOption(new Option('--base-url <url>', 'the Policy API to judge (default: start our mock in-process)').env('CONTRACT_BASE_URL'))
    .addOption(
      new Option('--profile <file>', 'ids that exist in the target')
        .env('CONTRACT_PROFILE')
        .default(DEFAULT_PROFILE_PATH, 'fixtures/contract-profile.json'),
    )
    .addOption(
      new Option('--token <token>', 'bearer token to send (reports show $CONTRACT_TOKEN)').env('CONTRACT_TOKEN').default(DEFAULT_TOKEN),
    )
    .addOption(new Option('--expect-auth', 'also check that missing or wrong tokens are refused').env('CONTRACT_EXPECT_AUTH'))
    .addOption(new Option('--junit <path>', 'write a JUnit XML report').env('CONTRACT_JUNIT'))
    .addOption(new Option('--html <path>', 'write a self-contained HTML report').env('CONTRACT_HTML'))
    .addOption(new Option('--json <path>', 'write the result as JSON (secrets masked)').env('CONTRACT_JSON'))
    .addOption(new Option('--har <path>', 'write every exchange as HAR 1.2 (secrets masked)').env('CONTRACT_HAR'))
    .addOption(
      new Option('--har-max-entries <n>', 'exchanges the HAR file keeps (the latest)')
        .env('CONTRACT_HAR_MAX_ENTRIES')
        .argParser(count('--har-max-entries'))
        .default(DEFAULT_HAR_MAX_ENTRIES),
    )
    .addOption(
      new Option('--fuzz-runs <n>', 'generated inputs per operation (0 turns the phase off)')
        .env('CONTRACT_FUZZ_RUNS')
        .argParser(count('--fuzz-runs'))
        .default(DEFAULT_FUZZ_RUNS),
    )
    .addOption(
      new Option('--model-runs <n>', 'generated sequences in the model-based phase (0 turns it off)')
        .env('CONTRACT_MODEL_RUNS')
        .argParser(count('--model-runs'))
        .default(DEFAULT_MODEL_RUNS),
    )
    .addOption(
      new Option('--model-max-failures <n>', 'distinct failures the model-based phase reports, each shrunk, before it stops looking')
        .env('CONTRACT_MODEL_MAX_FAILURES')
        .argParser(count('--model-max-failures'))
        .default(DEFAULT_MODEL_MAX_FAILURES),
    )
    .addOption(
      new Option('--save-failures <dir>', 'write each shrunk failing sequence here: JSON for `replay`, and a vitest test').env(
        'CONTRACT_SAVE_FAILURES',
      ),
    )
    .addOption(
      new Option('--compare-with <url>', 'a second implementation: run the same generated sequences against both').env(
        'CONTRACT_COMPARE_WITH',
      ),
    )
    .addOption(
      new Option('--compare-strict', 'with --compare-with: extra properties, null, error details and codes are differences too').env(
        'CONTRACT_COMPARE_STRICT',
      ),
    )
    .addOption(new Option('--compare-token <token>', 'bearer token for --compare-with (default: --token)').env('CONTRACT_COMPARE_TOKEN'))
    .addOption(
      new Option('--compare-profile <file>', 'ids that exist in --compare-with (default: --profile)').env('CONTRACT_COMPARE_PROFILE'),
    )
    .addOption(
      new Option('--seed <n>', 'seed of the generated inputs').env('CONTRACT_SEED').argParser(count('--seed')).default(DEFAULT_SEED),
    )
    .addOption(
      new Option('--rules <a,b>', 'only these rules')
        .env('CONTRACT_RULES')
        .argParser(parser<string[] | undefined>((raw) => parseRules(raw))),
    )
    .addOption(
      new Option('--exclude-rules <a,b>', 'never these rules (reported as skipped: excluded)')
        .env('CONTRACT_EXCLUDE_RULES')
        .argParser(parser<string[] | undefined>((raw) => parseRules(raw))),
    )
    .addOption(
      new Option('--level <level>', 'spec: only what the OpenAPI document requires; full: its documented meaning too')
        .env('CONTRACT_LEVEL')
        .choices(LEVELS)
        .default(DEFAULT_LEVEL),
    )
    .addOption(new Option('--waivers <file>', 'JSON file of known failures to accept for now (shown as waived)').env('CONTRACT_WAIVERS'))
    .addOption(
      new Option('--header <header>', "extra header sent on every request, 'Name: value' (repeatable; values masked)")
        .argParser(parser(parseHeader))
        .default({}, 'none'),
    )
    .addOption(new Option('--ca-cert <file>', 'PEM of the CA that signed an https target').env('CONTRACT_CA_CERT'))
    .addOption(new Option('--insecure', "don't verify an https target's certificate (prints a warning)"))
    .addOption(
      new Option('--request-timeout <seconds>', 'per request, headers and body')
        .env('CONTRACT_REQUEST_TIMEOUT')
        .argParser(seconds('--request-timeout'))
        .default(DEFAULT_REQUEST_TIMEOUT_MS, `${DEFAULT_REQUEST_TIMEOUT_MS / 1000}`),
    )
    .addOption(
      new Option('--max-response-bytes <n>', 'bytes read of one response at most (more is a failure)')
        .env('CONTRACT_MAX_RESPONSE_BYTES')
        .argParser(count('--max-response-bytes'))
        .default(DEFAULT_MAX_RESPONSE_BYTES),
    )
    .addOption(
      new Option('--deadline <seconds>', 'the whole run; rules left then are reported as not run')
        .env('CONTRACT_DEADLINE')
        .argParser(seconds('--deadline'))
        .default(DEFAULT_DEADLINE_MS, `${DEFAULT_DEADLINE_MS / 1000}`),
    )
    .addOption(
      new Option('--wait-for-target <seconds>', 'poll until the target answers at all, then run')
        .env('CONTRACT_WAIT_FOR_TARGET')
        .argParser(seconds('--wait-for-target'))
        .default(DEFAULT_WAIT_FOR_TARGET_MS),
    )
    .addHelpText(
      'after',
      "\nSubcommands: observe --upstream URL [-- COMMAND]: judge a real client's traffic through a proxy (observe --help); replay FILE --base-url URL: replay one failure saved by --save-failures, without vitest (replay --help).\nExit code: 0 the target conforms, 1 it breaks a rule, 2 set-up problem (unreachable, stopped answering, token or profile refused, bad flag, deadline before any finding).",
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
}

interface ParsedFlags {
  baseUrl?: string;
  profile: string;
  token: string;
  expectAuth?: boolean;
  junit?: string;
  html?: string;
  fuzzRuns: number;
  modelRuns: number;
  modelMaxFailures: number;
  saveFailures?: string;
  compareWith?: string;
  compareToken?: string;
  compareStrict?: boolean;
  compareProfile?: string;
  seed: number;
  rules?: string[];
  excludeRules?: string[];
  level: Level;
  waivers?: string;
  header: Record<string, string>;
  caCert?: string;
  insecure?: boolean;
  json?: string;
  har?: string;
  harMaxEntries: number;
  requestTimeout: number;
  maxResponseBytes: number;
  deadline: number;
  waitForTarget: number;
}

/**
 * The options of a run from flags, then CONTRACT_* variables, then defaults. With no base URL,
 * our mock is judged in-process. Throws CommanderError on a bad flag or after --help.
 */
export function optionsFromArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): RunContractOptions {
  const cmd = program();
  const flags = cmd.parse(argv, { from: 'user' }).opts<ParsedFlags>();
  const nonEmpty = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value);
  // Commander takes any value of a boolean's variable as true; ours mean it only for 1 / true.
  const switchOf = (key: 'expectAuth' | 'compareStrict', variable: string) =>
    cmd.getOptionValueSource(key) === 'env' ? ['1', 'true'].includes(env[variable] ?? '') : flags[key] === true ? true : undefined;
  // Unset means the library's default (on for our own mock, which it starts with the suite's token).
  const expectAuth = switchOf('expectAuth', 'CONTRACT_EXPECT_AUTH');
  const baseUrl = nonEmpty(flags.baseUrl);
  return {
    ...(baseUrl ? { baseUrl } : { startMock: true }),
    token: nonEmpty(flags.token) ?? DEFAULT_TOKEN,
    profile: nonEmpty(flags.profile) ?? DEFAULT_PROFILE_PATH,
    expectAuth,
    junitPath: nonEmpty(flags.junit),
    htmlPath: nonEmpty(flags.html),
    fuzzRuns: flags.fuzzRuns,
    modelRuns: flags.modelRuns,
    modelMaxFailures: flags.modelMaxFailures,
    saveFailures: nonEmpty(flags.saveFailures),
    compareWith: nonEmpty(flags.compareWith),
    compareToken: nonEmpty(flags.compareToken),
    compareStrict: switchOf('compareStrict', 'CONTRACT_COMPARE_STRICT') === true,
    compareProfile: nonEmpty(flags.compareProfile),
    seed: flags.seed,
    rules: flags.rules as RunContractOptions['rules'],
    excludeRules: flags.excludeRules as RunContractOptions['excludeRules'],
    level: flags.level,
    waivers: nonEmpty(flags.waivers),
    ...(Object.keys(flags.header).length > 0 ? { headers: flags.header } : {}),
    caCert: nonEmpty(flags.caCert),
    insecure: flags.insecure === true ? true : undefined,
    jsonPath: nonEmpty(flags.json),
    harPath: nonEmpty(flags.har),
    harMaxEntries: flags.harMaxEntries,
    requestTimeoutMs: flags.requestTimeout,
    maxResponseBytes: flags.maxResponseBytes,
    deadlineMs: flags.deadline,
    waitForTargetMs: flags.waitForTarget,
  };
}

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'observe') return observeMain(argv.slice(1));
  if (argv[0] === 'replay') return replayMain(argv.slice(1));
  let options: RunContractOptions;
  try {
    options = optionsFromArgs(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    if (error instanceof ContractSetupError) {
      console.error(`contract: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (options.insecure) console.error("contract: warning: --insecure: the target's TLS certificate is not verified");
  const result = await runContract({ ...options, log: (line) => console.log(printable(line)) });
  // A run that started (then stopped for its set-up, e.g. a silent target) prints its report as usual.
  if (result.setupError !== undefined && result.runId === undefined) console.error(result.report);
  else console.log(result.report);
  if (result.setupError !== undefined && result.runId !== undefined) console.error(`contract: set-up problem: ${result.setupError}`);
  return result.exitCode;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
