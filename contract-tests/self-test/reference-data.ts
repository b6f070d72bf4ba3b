import type { ContractProfile } from '../config.js';

/** A small fixed cluster for the reference server; ids are readable on purpose. */
export interface ReferenceData {
  clusterId: string;
  namespaces: { id: string; name: string }[];
  pods: { id: string; name: string; namespace: string; status: string }[];
  jobs: { id: string; name: string; namespace: string; priority: number | null; status: string; podIds: string[] }[];
  /**
   * A second cluster the profile never names (judge faults only): a namespace with the same name as
   * one of the first cluster's, a job in it matching the profile's filter, its pods. A correct
   * server never shows any of it for a policy on the first cluster.
   */
  other?: Omit<ReferenceData, 'other'>;
}

const uuid = (kind: number, n: number) => `00000000-0000-4000-8${kind}00-${n.toString(16).padStart(12, '0')}`;

function buildData(): ReferenceData {
  const namespaces = ['ml-training', 'inference', 'batch'].map((name, i) => ({ id: uuid(1, i + 1), name }));
  const pods: ReferenceData['pods'] = [];
  const jobs: ReferenceData['jobs'] = [];
  const specs = [
    { name: 'train-llama', ns: 'ml-training', priority: 100, status: 'Running' },
    { name: 'train-bert', ns: 'ml-training', priority: 1000, status: 'Running' },
    { name: 'eval-llama', ns: 'ml-training', priority: 100, status: 'Complete' },
    { name: 'serve-ranker', ns: 'inference', priority: 0, status: 'Running' },
    { name: 'nightly-etl', ns: 'batch', priority: 0, status: 'Suspended' },
  ];
  let podNo = 0;
  specs.forEach((spec, j) => {
    const podIds: string[] = [];
    for (let k = 0; k < 2 + (j % 2); k++) {
      const id = uuid(2, ++podNo);
      podIds.push(id);
      pods.push({ id, name: `${spec.name}-7f9c6b-${k}x2k4`, namespace: spec.ns, status: k === 0 ? 'Running' : 'Pending' });
    }
    jobs.push({ id: uuid(3, j + 1), name: spec.name, namespace: spec.ns, priority: spec.priority, status: spec.status, podIds });
  });
  // A pod no job owns.
  pods.push({ id: uuid(2, ++podNo), name: 'debug-shell', namespace: 'inference', status: 'Running' });
  const other: Omit<ReferenceData, 'other'> = {
    clusterId: uuid(0, 2),
    namespaces: [{ id: uuid(1, 0x101), name: 'ml-training' }],
    pods: [
      { id: uuid(2, 0x101), name: 'train-gpt-5d8f7c-0a1b2', namespace: 'ml-training', status: 'Running' },
      { id: uuid(2, 0x102), name: 'train-gpt-5d8f7c-1c3d4', namespace: 'ml-training', status: 'Running' },
    ],
    jobs: [
      {
        id: uuid(3, 0x101),
        name: 'train-gpt',
        namespace: 'ml-training',
        priority: 100,
        status: 'Running',
        podIds: [uuid(2, 0x101), uuid(2, 0x102)],
      },
    ],
  };
  return { clusterId: uuid(0, 1), namespaces, pods, jobs, other };
}

export const REFERENCE_DATA: ReferenceData = buildData();

export const REFERENCE_PROFILE: ContractProfile = {
  clusterId: REFERENCE_DATA.clusterId,
  podIds: REFERENCE_DATA.pods.map((p) => p.id),
  namespaceIds: REFERENCE_DATA.namespaces.map((n) => n.id),
  jobIds: REFERENCE_DATA.jobs.map((j) => j.id),
  jobFilter: { namespace: 'ml-training', priority: 100 },
};
