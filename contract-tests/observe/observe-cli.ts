import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_REQUEST_TIMEOUT_MS } from '../defaults.js';
import { ContractSetupError, parseCount, parseSeconds } from '../config.js';
import { parseHeader } from '../header-option.js';
import { printable } from '../printable.js';
import { observe, type ObserveHandle } from './observe.js';
import type { ObserveResult } from './observe-report.js';

export const DEFAULT_OBSERVE_PORT = 4011;

const parser =
  <T>(parse: (raw: string, previous: T) => T) =>
  (raw: string, previous: T): T => {
    try {
      return parse(raw, previous);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };

function program(): Command {
  return new Command()
    .name('cedana-policy-contract observe')
    .description('A loopback proxy in front of a Policy API that judges every exchange of a real client against the contract')
    .usage('--upstream URL [options] [-- COMMAND ...]')
    .addOption(
      new Option('--upstream <url>', 'the backend the client really talks to').env('CONTRACT_OBSERVE_UPSTREAM').makeOptionMandatory(),
    )
    .addOption(
      new Option('--port <n>', 'port to listen on (0: a free one)')
        .env('CONTRACT_OBSERVE_PORT')
        .argParser(parser<number>((raw, fallback) => parseCount('--port', raw, fallback)))
        .default(DEFAULT_OBSERVE_PORT),
    )
    .addOption(new Option('--host <host>', 'address to listen on').default('127.0.0.1'))
    .addOption(
      new Option('--header <header>', "extra header sent upstream, 'Name: value' (repeatable; values masked)")
        .argParser(parser(parseHeader))
        .default({}, 'none'),
    )
    .addOption(new Option('--ca-cert <file>', 'PEM of the CA that signed a TLS upstream'))
    .addOption(new Option('--insecure', 'trust any certificate of a TLS upstream'))
    .addOption(new Option('--token <token>', "the client's bearer token (masked everywhere)").env('CONTRACT_TOKEN'))
    .addOption(new Option('--expect-auth', 'with --token: requests without it must be refused'))
    .addOption(new Option('--enforce', 'replace an answer that breaks the contract with a 502 ApiError naming the violation'))
    .addOption(new Option('--junit <path>', 'write a JUnit XML report'))
    .addOption(new Option('--html <path>', 'write a self-contained HTML report'))
    .addOption(new Option('--json <path>', 'write the result as JSON'))
    .addOption(new Option('--har <path>', 'write the exchanges (the latest 1000) as HAR, secrets masked'))
    .addOption(
      new Option('--request-timeout <seconds>', "the upstream's headers and body, per request")
        .env('CONTRACT_REQUEST_TIMEOUT')
        .argParser(parser<number>((raw, fallback) => parseSeconds('--request-timeout', raw, fallback)))
        .default(DEFAULT_REQUEST_TIMEOUT_MS, `${DEFAULT_REQUEST_TIMEOUT_MS / 1000}`),
    )
    .addOption(
      new Option('--max-body-bytes <n>', 'bytes of one body judged at most (more is forwarded, not judged)')
        .argParser(parser<number>((raw, fallback) => parseCount('--max-body-bytes', raw, fallback)))
        .default(DEFAULT_MAX_RESPONSE_BYTES),
    )
    .addHelpText(
      'after',
      "\nWith -- COMMAND, the command runs with CONTRACT_OBSERVE_URL set to the proxy's URL; without it, the proxy runs until SIGINT/SIGTERM.\nExit code: the command's when it failed; else 0 the backend conforms, 1 a violation, 2 set-up problem (the upstream never answered or stalled, nothing observed, bad flag).",
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
}

interface Flags {
  upstream: string;
  port: number;
  host: string;
  header: Record<string, string>;
  caCert?: string;
  insecure?: boolean;
  token?: string;
  expectAuth?: boolean;
  enforce?: boolean;
  junit?: string;
  html?: string;
  json?: string;
  har?: string;
  requestTimeout: number;
  maxBodyBytes: number;
}

/** `cedana-policy-contract observe …`: returns the exit code. */
export async function observeMain(argv: string[]): Promise<number> {
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const command = split === -1 ? [] : argv.slice(split + 1);
  let flags: Flags;
  try {
    flags = program().parse(own, { from: 'user' }).opts<Flags>();
  } catch (error) {
    if (error instanceof CommanderError) return error.code === 'commander.helpDisplayed' ? 0 : 2;
    throw error;
  }
  let handle: ObserveHandle;
  try {
    handle = await observe({
      upstream: flags.upstream,
      port: flags.port,
      host: flags.host,
      headers: flags.header,
      caCert: flags.caCert,
      insecure: flags.insecure,
      token: flags.token?.trim() ? flags.token : undefined,
      expectAuth: flags.expectAuth,
      enforce: flags.enforce,
      requestTimeoutMs: flags.requestTimeout,
      maxBodyBytes: flags.maxBodyBytes,
      onViolation: (line) => console.log(line),
      onClientFinding: (line) => console.log(line),
    });
  } catch (error) {
    if (!(error instanceof ContractSetupError)) throw error;
    console.error(`observe: ${printable(error.message)}`);
    return 2;
  }
  console.log(`observe: ${handle.url} → ${printable(flags.upstream)}${flags.enforce ? ' (enforcing)' : ''}`);
  const commandExit = command.length > 0 ? await runCommand(command, handle.url) : await untilSignal();
  const result: ObserveResult = await handle.close();
  handle.writeReports({ junit: flags.junit, html: flags.html, json: flags.json, har: flags.har });
  console.log(result.report);
  if (commandExit !== undefined && commandExit !== 0) return commandExit;
  return result.exitCode;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function untilSignal(): Promise<undefined> {
  return new Promise((resolve) => {
    const stop = () => {
      for (const signal of SIGNALS) process.off(signal, stop);
      resolve(undefined);
    };
    for (const signal of SIGNALS) process.on(signal, stop);
  });
}

/**
 * Runs the command with CONTRACT_OBSERVE_URL set, passing SIGINT/SIGTERM on to it. Resolves to its
 * exit code (128 + the signal's number when a signal of its own ended it; 0 when ours did).
 */
function runCommand(command: string[], url: string): Promise<number> {
  return new Promise((resolve) => {
    const [file = '', ...args] = command;
    const child = spawn(file, args, { stdio: 'inherit', env: { ...process.env, CONTRACT_OBSERVE_URL: url } });
    let forwarded = false;
    const forward = (signal: NodeJS.Signals) => {
      forwarded = true;
      child.kill(signal);
    };
    for (const signal of SIGNALS) process.on(signal, forward);
    const done = (code: number) => {
      for (const signal of SIGNALS) process.off(signal, forward);
      resolve(code);
    };
    child.once('error', (error) => {
      console.error(`observe: cannot run ${printable(file)}: ${error.message}`);
      done(2);
    });
    child.once('exit', (code, signal) => {
      if (signal !== null) done(forwarded ? 0 : 128 + (constants.signals[signal] ?? 0));
      else done(code ?? 0);
    });
  });
}
