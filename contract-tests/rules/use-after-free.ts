import { semantics } from '../basis.js';
import { validPolicyBody } from '../bodies.js';
import { OP } from '../operations.js';
import { defineRule } from './rule.js';

/**
 * Rule 8: once deleted, a policy is gone everywhere: /pods, /jobs and /job-status answer 404, and
 * update or delete of its id fail with a declared error (and do not bring it back).
 */
export const useAfterFree = defineRule({
  id: 'use_after_free',
  basis: semantics('`{id}`; an unknown id is a 400'),
  kind: 'scenario',
  reportOrder: 8,
  runOrder: 4,
  async run(ctx) {
    const s = ctx.runState;
    // A jobs policy, so that all three read endpoints answer 200 while it lives.
    const body = validPolicyBody(s.profile, 'jobs', s.resourceName('freed'), 'full');
    const { exchange: created, id } = await s.createJson(body);
    if (id === undefined) {
      ctx.fail(OP.create, 'create of a valid jobs policy → 200 with its id (to then delete it)', { exchange: created });
      return;
    }
    const reads = [
      { op: OP.pods, read: () => s.pods(id) },
      { op: OP.jobs, read: () => s.jobs(id) },
      { op: OP.jobStatus, read: () => s.jobStatus(id) },
    ];
    // Before delete each read must answer 200, or a 404 afterwards would prove nothing.
    for (const { read } of reads) {
      const exchange = await read();
      ctx.expectStatus(exchange, [200], `before delete, ${exchange.request.method} ${exchange.request.path} → 200`);
    }
    const deleted = await s.deleteId(id);
    if (!ctx.expectStatus(deleted, [200], `delete of policy ${id} → 200`)) return;
    for (const { read } of reads) {
      const exchange = await read();
      ctx.expectStatus(exchange, [404], `after delete, ${exchange.request.method} ${exchange.request.path} → 404`);
    }
    const update = await s.update({ json: { ...body, id } });
    if (update.response.status === 200) s.own.add(id); // it came back: make sure clean-up removes it
    ctx.expectDeclaredError(update, `update of deleted policy ${id}`);
    const again = await s.deleteId(id);
    ctx.expectDeclaredError(again, `second delete of policy ${id}`);
    const { policies, exchange } = await s.list();
    ctx.check(policies !== undefined && !policies.some((p) => p.id === id), OP.list, `deleted policy ${id} stays out of list`, {
      exchange,
      actual: policies ? 'listed again' : 'list failed',
    });
  },
});
