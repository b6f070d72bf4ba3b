import { SPEC } from '../basis.js';
import { validPolicyBody } from '../bodies.js';
import type { AuthMode, Exchange } from '../client.js';
import { OP } from '../operations.js';
import type { Operation } from '../spec.js';
import { describeChange, takeSnapshot } from './list-snapshot.js';
import { defineRule } from './rule.js';
import { AUTH_STATUSES } from './auth-refusal.js';
import { PROBE_WORDS, REFUSED_PROBES } from '../auth-probes.js';
import { checkCaseInsensitiveScheme } from './auth-scheme-case.js';

const REFUSED_MODES: readonly AuthMode[] = ['none', 'wrong', 'malformed', ...REFUSED_PROBES];
const MODE_WORDS: Record<AuthMode, string> = {
  token: 'the token',
  none: 'no Authorization header',
  wrong: 'a wrong bearer token',
  malformed: 'a non-bearer Authorization header',
  ...PROBE_WORDS,
};

/**
 * Rule 11 (with CONTRACT_EXPECT_AUTH=1): every operation refuses a request without a token, with a
 * wrong one or with another scheme: 401 or 403 with an ApiError body, and nothing changes.
 */
export const ignoredAuth = defineRule({
  id: 'ignored_auth',
  basis: SPEC,
  kind: 'scenario',
  reportOrder: 11,
  runOrder: 8,
  skip: (options) => (options.expectAuth ? undefined : 'auth is not expected (set CONTRACT_EXPECT_AUTH=1 / --expect-auth / expectAuth)'),
  async run(ctx) {
    const s = ctx.runState;
    const body = validPolicyBody(s.profile, 'jobs', s.resourceName('auth'), 'full');
    const { id: created } = await s.createJson(body);
    const id = created ?? s.random.uuid();
    const before = await takeSnapshot(s);
    // A valid request to every operation of the spec; the bodies are the only part that needs meaning.
    const bodies: Record<string, unknown> = { [OP.create]: body, [OP.update]: { ...body, id, heartbeat_time: 7 }, [OP.delete]: { id } };
    const send = (operation: Operation, auth: AuthMode): Promise<Exchange> =>
      s.send({
        operationId: operation.operationId,
        auth,
        ...(operation.pathParameters.length > 0 ? { pathId: id } : {}),
        ...(operation.requestSchema ? { json: bodies[operation.operationId] ?? {} } : {}),
      });
    for (const operation of s.operationsInOrder()) {
      const op = operation.operationId;
      for (const mode of REFUSED_MODES) {
        const exchange = await send(operation, mode);
        // Two Authorization lines make a malformed request (RFC 9110 §5.3): a 400 refuses it too.
        const statuses = mode === 'twoHeaders' ? [400, ...AUTH_STATUSES] : AUTH_STATUSES;
        const expected = `a request with ${MODE_WORDS[mode]} → ${statuses.join(' or ')} with an ApiError body`;
        const { status, json } = exchange.response;
        if (!statuses.includes(status)) {
          ctx.fail(op, expected, { exchange });
          continue;
        }
        const schemaErrors =
          json === undefined ? [{ pointer: '/', message: 'body is not JSON' }] : s.validator.validateComponent('ApiError', json);
        ctx.check(schemaErrors.length === 0, op, expected, { exchange, schemaErrors });
      }
    }
    for (const operation of s.operationsInOrder())
      if (operation.method === 'GET') await checkCaseInsensitiveScheme(ctx, send(operation, 'otherCaseToken'));
    const after = await takeSnapshot(s);
    if (before.snapshot && after.snapshot) {
      // A create that got through (with this run's fingerprint) is ours to clean up.
      s.adoptNew([...after.snapshot.ids].filter((newId) => !before.snapshot!.ids.has(newId)));
      const change = describeChange(before.snapshot, after.snapshot);
      ctx.check(change === undefined, OP.list, 'refused requests create, change or delete nothing', {
        exchange: after.exchange,
        actual: change,
      });
    }
  },
});
