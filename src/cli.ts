#!/usr/bin/env -S node --max-semi-space-size=8
// The command line: flags → options → startServer. The only file that reads argv and env.
import { networkInterfaces } from 'node:os';
import { Command, Option } from 'commander';
import {
  byteCount,
  byteSize,
  collect,
  delayRange,
  failRate,
  logFormat,
  portNumber,
  profileIds,
  timerMs,
  token,
  wholeNumber,
} from './cli-options.js';
import type { DelayRange } from './http/controls/delay.js';
import type { FailRates } from './http/controls/response-control.js';
import { DEFAULT_JOURNAL_SIZE, DEFAULT_MAX_DATA_BYTES, DEFAULT_SESSIONS } from './app.js';
import { DEFAULT_ADMIN_BODY_LIMIT } from './http/admin/admin-routes.js';
import { createLogger, type LogFormat } from './http/logging/logger.js';
import { DEFAULT_SEED, DEFAULT_SIZES } from './world/seed.js';
import { startServer } from './server.js';
import { loadSpec } from './spec/load-spec.js';
import { SpecIndex } from './spec/spec-index.js';

interface CliOptions {
  port: number;
  host: string;
  seed: number;
  db?: string;
  clusters: number;
  namespaces: number;
  pods: number;
  jobs: number;
  policies: number;
  token?: string;
  auth: boolean;
  bodyLimit: string;
  quiet?: boolean;
  logFormat: LogFormat;
  corsOrigin?: string[];
  delay?: DelayRange;
  failRate?: FailRates;
  failSeed?: number;
  adminToken?: string;
  adminBodyLimit: string;
  allowedHost?: string[];
  maxData: number;
  maxSessions: number;
  sessionTtl: number;
  journalSize: number;
  responseValidation: boolean;
  simulate?: boolean;
  tick: number;
  simulateKeep?: string;
  resetDb?: boolean;
  dbFsync: boolean;
}

const program = new Command()
  .name('cedana-policy-mock')
  .description('Stateful mock of the Cedana Policy API, validated against its OpenAPI spec')
  // Through commander, so a bad PORT in the environment is the same one-line error as a bad --port.
  .addOption(new Option('-p, --port <port>', 'port to listen on').env('PORT').argParser(portNumber).default(4010))
  .addOption(new Option('-H, --host <host>', 'address to listen on').env('HOST').default('127.0.0.1'))
  .option('--seed <n>', 'faker seed of the generated cluster', wholeNumber, DEFAULT_SEED)
  .option('--db <file>', 'persist to this JSON file (created from the seed if missing)')
  .option('--reset-db', 'start the --db file afresh from the seed and size flags, whatever it held')
  .option('--no-db-fsync', 'do not fdatasync the --db log per write: faster on slow disks; survives kill -9, not a power cut')
  .option('--clusters <n>', 'clusters to generate', wholeNumber, DEFAULT_SIZES.clusters)
  .option('--namespaces <n>', 'namespaces per cluster', wholeNumber, DEFAULT_SIZES.namespaces)
  .option('--pods <n>', 'pods per cluster', wholeNumber, DEFAULT_SIZES.pods)
  .option('--jobs <n>', 'jobs per cluster', wholeNumber, DEFAULT_SIZES.jobs)
  .option('--policies <n>', 'demo policies to start with', wholeNumber, DEFAULT_SIZES.policies)
  .option('--token <token>', 'accept only this bearer token (default: any non-empty token)', token)
  .option('--no-auth', 'do not require an Authorization header')
  .option('--body-limit <size>', 'largest request body accepted (e.g. 512kb, 1mb)', byteSize, '1mb')
  .option('--delay <ms|min-max>', 'latency added to every API response, fixed or uniform in a range', delayRange)
  .option('--fail-rate <rate|op=rate>', 'share of requests answered with the declared 500 (repeatable)', failRate)
  .option('--fail-seed <n>', 'seed of the injected faults, for a reproducible sequence', wholeNumber)
  .option('--cors-origin <origin>', 'allow only this browser origin (repeatable; default: any)', collect)
  .option('--admin-token <token>', 'require this bearer token on /__admin (required off loopback)', token)
  .option(
    '--max-data <size>',
    'what all stores may hold together, estimated: policies and each distinct cluster once',
    byteCount,
    DEFAULT_MAX_DATA_BYTES,
  )
  .option('--admin-body-limit <size>', 'largest snapshot PUT /__admin/state accepts, once inflated', byteSize, DEFAULT_ADMIN_BODY_LIMIT)
  .option(
    '--allowed-host <name>',
    'also answer requests for this Host name (repeatable; .example.com for subdomains, all for any)',
    collect,
  )
  .option('--max-sessions <n>', 'X-Mock-Session stores alive at once', wholeNumber, DEFAULT_SESSIONS.max)
  .option('--session-ttl <seconds>', 'drop a session idle this long', wholeNumber, DEFAULT_SESSIONS.idleMs / 1000)
  .option('--journal-size <n>', 'requests kept for GET /__admin/requests', wholeNumber, DEFAULT_JOURNAL_SIZE)
  .option('--simulate', 'the cluster changes over time: pods move through phases, jobs finish and start')
  .option('--tick <ms>', 'time between two simulation steps', timerMs, 5000)
  .option('--simulate-keep <profile.json>', 'never remove the pods and jobs a contract profile names')
  .option('--log-format <line|json>', 'request log format', logFormat, 'line')
  .option('-q, --quiet', 'no request log')
  // Only for `npm run bench`, to measure what checking every response costs; hidden from --help.
  .addOption(new Option('--no-response-validation', 'do not check responses against the spec (benchmarking only)').hideHelp())
  .showHelpAfterError('(run with --help for usage)');

const opts = program.parse().opts<CliOptions>();
if (opts.resetDb && !opts.db) program.error('error: --reset-db needs --db <file>');
const operationIds = new SpecIndex(loadSpec()).operations.map((op) => op.operationId as string);
for (const id of Object.keys(opts.failRate?.byOperation ?? {})) {
  if (!operationIds.includes(id)) program.error(`error: --fail-rate names no operation "${id}"; operations: ${operationIds.join(', ')}`);
}

const logger = createLogger(opts.logFormat, opts.quiet);
try {
  const running = await startServer({
    port: opts.port,
    host: opts.host,
    seed: opts.seed,
    db: opts.db,
    resetDb: opts.resetDb,
    dbFsync: opts.dbFsync,
    sizes: { clusters: opts.clusters, namespaces: opts.namespaces, pods: opts.pods, jobs: opts.jobs, policies: opts.policies },
    auth: opts.auth ? { token: opts.token } : false,
    bodyLimit: opts.bodyLimit,
    logger,
    corsOrigins: opts.corsOrigin,
    delay: opts.delay,
    failRates: opts.failRate,
    failSeed: opts.failSeed,
    adminToken: opts.adminToken,
    adminBodyLimit: opts.adminBodyLimit,
    maxDataBytes: opts.maxData,
    allowedHosts: opts.allowedHost,
    sessions: { max: opts.maxSessions, idleMs: opts.sessionTtl * 1000 },
    journalSize: opts.journalSize,
    validateResponses: opts.responseValidation,
    simulate: opts.simulate ? { tickMs: opts.tick, keep: opts.simulateKeep ? await profileIds(opts.simulateKeep) : [] } : undefined,
  });
  // Before the banner: a supervisor may signal as soon as it reads "listening on".
  let stopping = false;
  const shutdown = (signal: string) => {
    // `npm start` forwards the terminal's Ctrl-C to this process, which has it already: one is enough.
    if (stopping) return;
    stopping = true;
    logger.notice(`${signal}: shutting down`, { event: 'shutdown', signal });
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  const data = running.store.data;
  // The --token value is a secret, like the admin token: what is printed names it, never shows it.
  const header = !opts.auth ? '' : opts.token ? ' -H "Authorization: Bearer $TOKEN"' : " -H 'Authorization: Bearer dev-token'";
  const url = reachableUrl(running.url, opts.host);
  const sizes = { clusters: opts.clusters, namespaces: opts.namespaces, pods: opts.pods, jobs: opts.jobs, policies: opts.policies };
  const storage = opts.db ? `stored in ${opts.db}` : 'in memory';
  // One call per banner line: plain lines, or with --log-format json one JSON line each.
  logger.notice(`Cedana Policy API mock listening on ${url}`, { event: 'listening', url });
  logger.notice(
    `  seed ${data.meta.seed}: ${data.clusters.length} cluster(s), ${data.namespaces.length} namespaces, ${data.pods.length} pods, ` +
      `${data.jobs.length} jobs, ${data.policies.length} policies; ${storage}`,
    { event: 'data', seed: data.meta.seed, sizes: data.meta.sizes, storage },
  );
  if (url !== running.url) {
    logger.notice(`  network: every interface (${opts.host}); on this machine also http://127.0.0.1:${running.port}`, {
      event: 'network',
      host: opts.host,
      local: `http://127.0.0.1:${running.port}`,
    });
  }
  const auth = !opts.auth
    ? 'off'
    : opts.token
      ? 'bearer token required (the --token value; the curl line below reads it from $TOKEN)'
      : 'any bearer token is accepted (set --token to require one)';
  logger.notice(`  auth: ${auth}`, { event: 'auth', auth });
  const dataFlags = ['seed', 'clusters', 'namespaces', 'pods', 'jobs', 'policies'].filter((f) => program.getOptionValueSource(f) === 'cli');
  if (opts.db && !opts.resetDb && dataFlags.length > 0 && JSON.stringify(data.meta) !== JSON.stringify({ seed: opts.seed, sizes })) {
    const flags = `--${dataFlags.join(', --')}`;
    logger.notice(
      `  note: ${opts.db} already held data (seed ${data.meta.seed}), so ${flags} did not apply; add --reset-db to start it afresh from the flags`,
      {
        event: 'db-kept',
        db: opts.db,
        ignoredFlags: dataFlags,
      },
    );
  }
  if (opts.simulate)
    logger.notice(`  simulating: a tick every ${opts.tick} ms (seed ${data.meta.seed})`, { event: 'simulating', tickMs: opts.tick });
  logger.notice(`  docs: ${url}/docs`, { event: 'docs', url: `${url}/docs` });
  logger.notice(`  inspector: ${url}/__admin/ui`, { event: 'inspector', url: `${url}/__admin/ui` });
  logger.notice(`  try:  curl${header} ${url}/v2/policy/list`, { event: 'try', curl: `curl${header} ${url}/v2/policy/list` });
} catch (error) {
  const e = error as NodeJS.ErrnoException;
  const message =
    e.code === 'EADDRINUSE'
      ? `port ${opts.port} on ${opts.host} is already in use (try --port)`
      : e.code === 'EADDRNOTAVAIL'
        ? `cannot listen on ${opts.host}: no such local address`
        : e.message;
  console.error(`cedana-policy-mock: ${message}`);
  process.exit(1);
}

/**
 * The URL to print: on a wildcard address (0.0.0.0, ::) `http://0.0.0.0:4010` reaches nothing from
 * elsewhere, so name the machine's first external IPv4 address (localhost when it has none).
 */
function reachableUrl(listening: string, host: string): string {
  if (!['0.0.0.0', '::', '[::]'].includes(host)) return listening;
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && !a.internal && a.family === 'IPv4');
  const url = new URL(listening);
  url.hostname = external?.address ?? 'localhost';
  return url.origin;
}
