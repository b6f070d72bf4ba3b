import { describe, expect, it } from 'vitest';
import { matchedJobs, monitoredPodCount, monitoredPods, summarizeJobs, trackJobs, type PolicyScope } from '../../src/domain/match.js';
import { ClusterIndex } from '../../src/domain/cluster-index.js';
import type { Job, Pod } from '../../src/domain/model.js';

// A tiny hand-made cluster, so every expectation can be read off the data.
const C = 'c1';
const namespaces = [
  { id: 'ns-train', clusterId: C, name: 'ml-training' },
  { id: 'ns-serve', clusterId: C, name: 'serving' },
  { id: 'ns-other', clusterId: 'c2', name: 'ml-training' },
];
const job = (id: string, namespaceId: string, priority: number, status: Job['status'] = 'Running', clusterId = C): Job => ({
  id,
  clusterId,
  namespaceId,
  name: id,
  priority,
  status,
});
const jobs = [
  job('j1', 'ns-train', 1000),
  job('j2', 'ns-train', 0, 'Complete'),
  job('j3', 'ns-serve', 1000),
  job('j4', 'ns-other', 1000, 'Running', 'c2'),
];
const pod = (id: string, namespaceId: string, jobId: string | null, clusterId = C): Pod => ({
  id,
  clusterId,
  namespaceId,
  name: id,
  status: 'Running',
  jobId,
});
const pods = [
  pod('p1', 'ns-train', 'j1'),
  pod('p2', 'ns-train', 'j1'),
  pod('p3', 'ns-train', 'j2'),
  pod('p4', 'ns-serve', 'j3'),
  pod('p5', 'ns-serve', null),
  pod('p6', 'ns-other', 'j4', 'c2'),
];
const index = new ClusterIndex({
  clusters: [
    { id: C, name: 'c' },
    { id: 'c2', name: 'd' },
  ],
  namespaces,
  jobs,
  pods,
});

const scope = (resource: PolicyScope['resource'], resourceIds: string[], jobFilter: PolicyScope['jobFilter'] = null): PolicyScope => ({
  clusterId: C,
  resource,
  resourceIds,
  jobFilter,
});
const ids = (xs: Array<{ id: string }>) => xs.map((x) => x.id);

describe('monitoredPods', () => {
  it('pods policy: exactly the listed pods that still exist, once each', () => {
    expect(ids(monitoredPods(scope('pods', ['p1', 'p5', 'gone', 'p1']), index))).toEqual(['p1', 'p5']);
  });

  it('namespace policy: every pod in the listed namespaces, job pods included', () => {
    expect(ids(monitoredPods(scope('namespace', ['ns-serve']), index))).toEqual(['p4', 'p5']);
    expect(ids(monitoredPods(scope('namespace', ['ns-train', 'ns-serve']), index))).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
  });

  it('jobs policy: the pods of the matched jobs', () => {
    expect(ids(monitoredPods(scope('jobs', ['j1', 'j3']), index))).toEqual(['p1', 'p2', 'p4']);
  });
});

describe('matchedJobs', () => {
  it('no listed jobs means every job of the policy’s cluster (not of other clusters)', () => {
    expect(ids(matchedJobs(scope('jobs', []), index))).toEqual(['j1', 'j2', 'j3']);
  });

  it('narrows by the filter’s namespace name', () => {
    expect(ids(matchedJobs(scope('jobs', [], { namespace: 'ml-training' }), index))).toEqual(['j1', 'j2']);
  });

  it('narrows by priority', () => {
    expect(ids(matchedJobs(scope('jobs', [], { priority: 1000 }), index))).toEqual(['j1', 'j3']);
  });

  it('narrows by both, and applies the filter to listed jobs too', () => {
    expect(ids(matchedJobs(scope('jobs', [], { namespace: 'ml-training', priority: 1000 }), index))).toEqual(['j1']);
    expect(ids(matchedJobs(scope('jobs', ['j2', 'j3'], { priority: 1000 }), index))).toEqual(['j3']);
  });

  it('treats null filter fields as no filter', () => {
    expect(ids(matchedJobs(scope('jobs', [], { namespace: null, priority: null }), index))).toEqual(['j1', 'j2', 'j3']);
  });

  it('matches no jobs for pods and namespace policies', () => {
    expect(matchedJobs(scope('pods', ['p1']), index)).toEqual([]);
    expect(matchedJobs(scope('namespace', ['ns-train']), index)).toEqual([]);
  });
});

describe('trackJobs', () => {
  it('records the matched jobs, their pods, a summary and when', () => {
    expect(trackJobs(scope('jobs', [], { namespace: 'ml-training' }), index, '2026-01-01T00:00:00.000Z')).toEqual({
      jobIds: ['j1', 'j2'],
      podIds: ['p1', 'p2', 'p3'],
      jobStatus: 'Running',
      syncedAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('tracks nothing for other kinds', () => {
    expect(trackJobs(scope('pods', ['p1']), index, 'now')).toBeNull();
  });

  it('summarizes jobs by the most urgent status', () => {
    expect(summarizeJobs([job('a', 'x', 0, 'Complete'), job('b', 'x', 0, 'Failed')])).toBe('Failed');
    expect(summarizeJobs([job('a', 'x', 0, 'Complete')])).toBe('Complete');
    expect(summarizeJobs([])).toBeNull();
  });
});

describe('monitoredPodCount', () => {
  it.each([
    scope('pods', ['p1', 'p5', 'gone', 'p1']),
    scope('namespace', ['ns-train', 'ns-serve', 'ns-train']),
    scope('jobs', []),
    scope('jobs', ['j1', 'j3', 'j1']),
    scope('jobs', [], { namespace: 'ml-training', priority: 1000 }),
  ])('counts exactly what monitoredPods lists (%j)', (s) => {
    expect(monitoredPodCount(s, index)).toBe(monitoredPods(s, index).length);
  });
});
