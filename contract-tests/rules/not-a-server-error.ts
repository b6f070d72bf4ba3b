import { semantics } from '../basis.js';
import fc from 'fast-check';
import { validPolicyBody } from '../bodies.js';
import type { Exchange } from '../client.js';
import { OP } from '../operations.js';
import type { RunState } from '../run-state.js';
import type { Operation } from '../spec.js';
import { deleteBodies, pathIds, policyBodies, queryStrings, type FuzzBody } from './fuzz-inputs.js';
import { defineRule } from './rule.js';

interface FuzzTarget {
  operationId: string;
  inputs(s: RunState, own: readonly string[]): fc.Arbitrary<unknown>;
  send(s: RunState, input: unknown): Promise<Exchange>;
}

const body = (b: FuzzBody) => ({
  ...(b.json !== undefined ? { json: b.json } : {}),
  ...(b.rawBody !== undefined ? { rawBody: b.rawBody } : {}),
  ...(b.contentType !== undefined ? { contentType: b.contentType } : {}),
});

const fuzzBodies = (s: RunState, id: fc.Arbitrary<unknown>) =>
  policyBodies(s.spec, s.operation(OP.create).requestSchema, s.profile, s.resourceName('fuzz-'), id);

/** Bodies where the meaning matters: which ids may be created, which are ours to update or delete. */
const BODY_TARGETS: Record<string, Omit<FuzzTarget, 'operationId'>> = {
  [OP.create]: {
    // Explicit ids stay UUIDs or non-strings: a policy created under an id that delete refuses
    // (PolicyDeleteRequest wants a UUID) could never be cleaned up.
    inputs: (s) => fuzzBodies(s, fc.oneof(fc.constant(null), fc.uuid(), fc.integer(), fc.boolean())),
    send: async (s, input) => (await s.create(body(input as FuzzBody))).exchange,
  },
  [OP.update]: {
    inputs: (s, own) =>
      fuzzBodies(s, fc.oneof(own.length > 0 ? fc.constantFrom(...own) : fc.uuid(), fc.uuid(), fc.string(), fc.constant(null))),
    send: (s, input) => s.update(body(input as FuzzBody)),
  },
  [OP.delete]: {
    inputs: (_s, own) => deleteBodies(own),
    send: (s, input) => s.delete(body(input as FuzzBody)),
  },
};

/** Any other operation, from its shape in the spec: path ids, or else query strings (and a stray body unless GET). */
function targetFor(operation: Operation): FuzzTarget {
  const { operationId } = operation;
  const known = BODY_TARGETS[operationId];
  if (known) return { operationId, ...known };
  if (operation.pathParameters.length > 0) {
    return { operationId, inputs: (_s, own) => pathIds(own), send: (s, id) => s.send({ operationId, pathId: id as string }) };
  }
  if (operation.method === 'GET') {
    return {
      operationId,
      inputs: () => queryStrings,
      send: (s, query) => s.send({ operationId, path: `${operation.path}${query as string}` }),
    };
  }
  return {
    operationId,
    inputs: (s) => fc.tuple(queryStrings, fc.option(fuzzBodies(s, fc.constant(null)))),
    send: (s, input) => {
      const [query, b] = input as [string, FuzzBody | null];
      return s.send({ operationId, path: `${operation.path}${query}`, ...(b ? body(b) : {}) });
    },
  };
}

/** Bodies first, then path ids, then the rest: each target's seed is its place in this order. */
const group = (op: Operation) => (op.operationId in BODY_TARGETS ? 0 : op.pathParameters.length > 0 ? 1 : 2);
const targets = (s: RunState) =>
  s
    .operationsInOrder()
    .sort((a, b) => group(a) - group(b))
    .map(targetFor);

/**
 * Rule 6: a property-based phase (fast-check, fixed seed) sends generated valid and invalid bodies
 * and path ids to every operation: no 5xx, and no dropped connection, ever. The failing input is
 * shrunk to a minimal one before it is reported.
 */
export const notAServerError = defineRule({
  id: 'not_a_server_error',
  basis: semantics('However a request is malformed, it never causes a 5xx: a 500 means the server failed, not the client.'),
  kind: 'scenario',
  reportOrder: 6,
  runOrder: 7,
  skip: (options) => (options.fuzzRuns === 0 ? 'CONTRACT_FUZZ_RUNS=0' : undefined),
  async run(ctx) {
    const s = ctx.runState;
    // Policies of this run for updates, deletes and path ids to aim at (never anyone else's).
    const own: string[] = [];
    for (const kind of ['pods', 'jobs'] as const) {
      const { id } = await s.createJson(validPolicyBody(s.profile, kind, s.resourceName(`fuzz-${kind}`), 'full'));
      if (id !== undefined) own.push(id);
    }
    for (const [index, target] of targets(s).entries()) {
      const seed = s.options.seed + index;
      let failing: Exchange | undefined;
      const property = fc.asyncProperty(target.inputs(s, own), async (input) => {
        const exchange = await target.send(s, input);
        const broke = exchange.response.status >= 500 || exchange.response.status === 0;
        if (broke) failing = exchange;
        return !broke;
      });
      const details = await fc.check(property, { seed, numRuns: s.options.fuzzRuns });
      if (details.failed && failing) {
        ctx.fail(target.operationId, 'no 5xx and no dropped connection, whatever the input', {
          exchange: failing,
          actual: `shrunk counterexample after ${details.numRuns} runs (fast-check seed ${seed}, path ${details.counterexamplePath ?? '?'})`,
        });
      } else if (details.failed) {
        ctx.fail(target.operationId, 'the generated-input phase completes', {
          actual: details.errorInstance instanceof Error ? details.errorInstance.message : 'unknown error',
        });
      } else {
        ctx.pass(target.operationId);
      }
    }
  },
});
