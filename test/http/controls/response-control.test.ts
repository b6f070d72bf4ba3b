import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { SpecValidator } from '../../../contract-tests/validator.js';
import { loadSpec } from '../../../src/spec/load-spec.js';
import { SpecIndex, type Operation } from '../../../src/spec/spec-index.js';
import { readFixture } from '../../helpers/fixtures.js';
import { AUTH, mockApp, type MockApp } from '../../helpers/mock-app.js';

const spec = new SpecIndex(loadSpec());
const validator = new SpecValidator(loadSpec() as never);
const createBody = readFixture<Record<string, unknown>>('requests/valid/create-pods.json');

/** A valid request for each operation, on the seeded jobs policy. */
function validRequest(mock: MockApp, op: Operation) {
  const jobsPolicy = mock.store.policies.find((p) => p.resource === 'jobs')!.id;
  const path = op.path.replace('{policy_id}', jobsPolicy);
  const req = request(mock.app)[op.method.toLowerCase() as 'get' | 'post' | 'delete'](path).set(AUTH);
  if (op.operationId === 'policy_create') return req.send(createBody);
  if (op.operationId === 'policy_update') return req.send({ ...createBody, id: jobsPolicy });
  if (op.operationId === 'policy_delete') return req.send({ id: jobsPolicy });
  return req;
}

const declared = spec.operations.flatMap((op) => [...op.responses.keys()].map((status) => [op.operationId, status, op] as const));

describe('Prefer: code=NNN', () => {
  it.each(declared)('%s with code=%i answers that declared response, valid for the spec, and changes nothing', async (_id, status, op) => {
    const mock = await mockApp();
    const before = JSON.stringify(mock.store.data);
    const res = await validRequest(mock, op).set('Prefer', `code=${status}`);
    expect(res.status).toBe(status);
    const response = op.responses.get(status)!;
    if (response.mediaType === null) {
      expect(res.text).toBe('');
    } else {
      expect(res.headers['content-type']).toMatch(new RegExp(`^${response.mediaType}`));
      const pointer = `#/paths/${op.path.replace(/\//g, '~1')}/${op.method.toLowerCase()}/responses/${status}/content/${response.mediaType.replace(/\//g, '~1')}/schema`;
      const body = response.mediaType === 'text/plain' ? res.text : res.body;
      expect(validator.validate(pointer, body)).toEqual([]);
      if (status >= 400) expect(res.body).toMatchObject({ message: response.description, code: String(status) });
    }
    if (!(op.method === 'GET' && status === 200)) expect(JSON.stringify(mock.store.data)).toBe(before);
  });

  it('answers an undeclared code with 400 listing the declared ones', async () => {
    const mock = await mockApp();
    const res = await mock.get('/v2/policy/list').set('Prefer', 'code=418');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Prefer code=418 is not declared for policy_list; declared: 200, 400, 500 (or 401: a refused token)');
  });

  it.each([
    ['/jobs', 'get', 'policy_jobs; declared: 200, 404, 500 (or 401: a refused token)'],
    ['/sync-jobs', 'post', 'sync_job_policies; declared: 200, 500 (or 401: a refused token)'],
  ])(
    'answers an undeclared code on %s with a 400 ApiError too, though it declares no 400: Prefer is the mock’s, not the API’s',
    async (leaf, method, declared) => {
      const mock = await mockApp();
      const id = mock.store.policies.find((p) => p.resource === 'jobs')!.id;
      const path = leaf === '/jobs' ? `/v2/policy/${id}/jobs` : '/v2/policy/sync-jobs';
      const res = await (method === 'get' ? mock.get(path) : mock.post(path)).set('Prefer', 'code=418');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        message: `Prefer code=418 is not declared for ${declared}`,
        code: '400',
        details: [{ path: '/headers/prefer', message: expect.stringContaining('code must be one of') }],
      });
    },
  );

  it('answers bad Prefer values and session names on sync-jobs with JSON, never an HTML page', async () => {
    const mock = await mockApp();
    for (const [name, value] of [
      ['Prefer', 'delay=soon'],
      ['X-Mock-Session', 'has spaces'],
    ] as const) {
      const res = await mock.post('/v2/policy/sync-jobs').set(name, value);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.code).toBe('400');
    }
  });
});

describe('--fail-rate', () => {
  it('fails about that share of 1,000 requests with the declared 500, reproducibly for a seed, creating nothing', async () => {
    const run = async () => {
      const mock = await mockApp({ failRates: { all: 0.1 }, failSeed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 1000; i++) statuses.push((await mock.post('/v2/policy/create', createBody)).status);
      const failed = statuses.filter((s) => s === 500).length;
      expect(statuses.filter((s) => s !== 500 && s !== 200)).toEqual([]);
      expect(mock.store.policies.length).toBe(3 + (1000 - failed));
      return { failed, statuses };
    };
    const first = await run();
    // Binomial(1000, 0.1): mean 100, sd 9.5; 70..130 is over 3 sd either way.
    expect(first.failed).toBeGreaterThanOrEqual(70);
    expect(first.failed).toBeLessThanOrEqual(130);
    expect((await run()).statuses).toEqual(first.statuses);
  }, 60_000);

  it('applies per operation, with the declared 500 body (none for sync-jobs)', async () => {
    const mock = await mockApp({ failRates: { byOperation: { sync_job_policies: 1 } }, failSeed: 1 });
    const sync = await mock.post('/v2/policy/sync-jobs');
    expect(sync.status).toBe(500);
    expect(sync.text).toBe('');
    expect((await mock.get('/v2/policy/list')).status).toBe(200);
    const journal = mock.journal.entries();
    expect(journal[0]).toMatchObject({ status: 500, problem: 'injected fault (--fail-rate 1)' });
    // An injected fault is no bug of ours: nothing is logged as one.
    expect(mock.lines.error).toEqual([]);
  });
});

describe('latency', () => {
  it('--delay holds each response at least that long', async () => {
    const mock = await mockApp({ delay: { min: 120, max: 120 } });
    const started = Date.now();
    expect((await mock.get('/v2/policy/list')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
  });

  it('Prefer: delay=MS delays one request; an absurd one is a 400', async () => {
    const mock = await mockApp();
    const started = Date.now();
    await mock.get('/v2/policy/list').set('Prefer', 'delay=150');
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    const tooLong = await mock.get('/v2/policy/list').set('Prefer', 'delay=999999');
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toContain('over the limit');
  });
});
