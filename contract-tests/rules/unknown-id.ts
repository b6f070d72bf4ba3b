import { semantics } from '../basis.js';
import { validPolicyBody } from '../bodies.js';
import { OP } from '../operations.js';
import { defineRule } from './rule.js';

const MALFORMED_IDS = ['not-a-uuid', '12345'];

/**
 * Rule 9: a random UUID is 404 on /pods, /jobs and /job-status; a malformed id is 400 on /pods and
 * 404 on /jobs and /job-status (the only error they declare); update and delete of an unknown id
 * fail with a declared error and create nothing.
 */
export const unknownId = defineRule({
  id: 'unknown_id',
  basis: semantics('Non-UUID id → 400, unknown → 404'),
  kind: 'scenario',
  reportOrder: 9,
  runOrder: 5,
  async run(ctx) {
    const s = ctx.runState;
    const unknown = s.random.uuid();
    for (const read of [(id: string) => s.pods(id), (id: string) => s.jobs(id), (id: string) => s.jobStatus(id)]) {
      const exchange = await read(unknown);
      ctx.expectStatus(exchange, [404], `an unknown policy id → 404`);
    }
    for (const malformed of MALFORMED_IDS) {
      ctx.expectStatus(await s.pods(malformed), [400], `a malformed policy id on /pods → 400`);
      ctx.expectStatus(await s.jobs(malformed), [404], `a malformed policy id on /jobs → 404`);
      ctx.expectStatus(await s.jobStatus(malformed), [404], `a malformed policy id on /job-status → 404`);
    }
    const body = validPolicyBody(s.profile, 'pods', s.resourceName('unknown'), 'full');
    const update = await s.update({ json: { ...body, id: unknown } });
    if (update.response.status === 200) s.own.add(unknown);
    ctx.expectDeclaredError(update, `update of unknown policy ${unknown}`);
    ctx.expectDeclaredError(await s.deleteId(unknown), `delete of unknown policy ${unknown}`);
    const { policies, exchange } = await s.list();
    ctx.check(policies !== undefined && !policies.some((p) => p.id === unknown), OP.list, `update of an unknown id creates nothing`, {
      exchange,
      actual: policies ? `${unknown} is listed` : 'list failed',
    });
  },
});
