import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContract } from '../index.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { startReferenceServer, type ReferenceServer } from './reference-server.js';
import { REFERENCE_TOKEN } from './run-against-reference.js';
import { runNode } from './run-node.js';
import { xmlProblem } from './xml-problem.js';

/**
 * What differs between two runs of one target whatever the route: times, the run id (in resource
 * names) and the ids the target hands out. Everything else must be byte for byte the same.
 */
const normalised = (xml: string) =>
  xml
    .replace(/time="[0-9.]+"/g, 'time=""')
    .replace(/contract-[0-9a-f]{8}-/g, 'contract-RUN-')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID');

describe('one JUnit format on every route', { timeout: 120_000 }, () => {
  let dir: string;
  let server: ReferenceServer;
  let profile: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'contract-junit-'));
    profile = join(dir, 'profile.json');
    writeFileSync(profile, JSON.stringify(REFERENCE_PROFILE));
    // Faulty in many places at once: failed rules, groups of failures alike, and (no auth, no fuzzing) skipped ones.
    server = await startReferenceServer({ fault: 'errors_as_text_plain', token: REFERENCE_TOKEN });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the CLI, the vitest route and the library write the same JUnit (minus times) for the same faulty target', async () => {
    const paths = { library: join(dir, 'library.xml'), cli: join(dir, 'cli.xml'), vitest: join(dir, 'vitest.xml') };
    // One after the other: runs sharing a server at once would see each other's policies.
    const library = await runContract({ baseUrl: server.url, token: REFERENCE_TOKEN, profile, fuzzRuns: 0, junitPath: paths.library });
    expect(library.exitCode).toBe(1);
    const cli = await runNode(
      [
        '--import',
        'tsx',
        'contract-tests/cli.ts',
        '--base-url',
        server.url,
        '--fuzz-runs',
        '0',
        '--junit',
        paths.cli,
        '--profile',
        profile,
      ],
      { CONTRACT_TOKEN: REFERENCE_TOKEN },
    );
    expect(cli.code, cli.stderr).toBe(1);
    const vitest = await runNode(['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.contract.config.ts'], {
      CONTRACT_BASE_URL: server.url,
      CONTRACT_TOKEN: REFERENCE_TOKEN,
      CONTRACT_PROFILE: profile,
      CONTRACT_FUZZ_RUNS: '0',
      CONTRACT_JUNIT: paths.vitest,
    });
    expect(vitest.code, vitest.stderr).toBe(1);

    const [fromLibrary, fromCli, fromVitest] = [paths.library, paths.cli, paths.vitest].map((p) => readFileSync(p, 'utf8'));
    expect(xmlProblem(fromLibrary!)).toBeUndefined();
    expect(normalised(fromCli!)).toBe(normalised(fromLibrary!));
    expect(normalised(fromVitest!)).toBe(normalised(fromLibrary!));

    // What the format promises: every rule by id, skipped ones as <skipped/>, a time per case, and
    // a failure's message its first expected vs actual (not just a count).
    expect(fromLibrary!.match(/<testcase classname="contract" name="[a-z_]+" time="\d+\.\d{3}">/g)).toHaveLength(14);
    expect(fromLibrary).toMatch(/name="ignored_auth" time="[0-9.]+">\s*<skipped message="[^"]+"\/>/);
    expect(fromLibrary).toMatch(/name="not_a_server_error" time="[0-9.]+">\s*<skipped message="[^"]+"\/>/);
    expect(fromLibrary).toMatch(
      /name="content_type_conformance" time="[0-9.]+">\s*<failure message="policy_[a-z_]+: expected Content-Type application\/json for a 400 response · actual 400, content type text\/plain/,
    );
    expect(fromLibrary).toMatch(/negative_data_rejection · policy_create · \d+ failures alike \(schema \/\), one shown/);
    expect(fromLibrary).not.toContain(REFERENCE_TOKEN);
  });
});
