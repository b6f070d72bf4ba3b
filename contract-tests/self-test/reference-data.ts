import type { ContractProfile } from '../config.js';

/** A small fixed cluster for the reference server; ids are readable on purpose. */
export interface ReferenceData {
  clusterId: string;
  namespaces: { id: string; name: string }[];
  pods: { id: string; name: string; namespace: string; status: string }[];
  jobs: { id: string; name: string; namespace: string; priority: number | null; status: string; podIds: string[] }[];
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
  return { clusterId: uuid(0, 1), namespaces, pods, jobs };
}

export const REFERENCE_DATA: ReferenceData = buildData();

export const REFERENCE_PROFILE: ContractProfile = {
  clusterId: REFERENCE_DATA.clusterId,
  podIds: REFERENCE_DATA.pods.map((p) => p.id),
  namespaceIds: REFERENCE_DATA.namespaces.map((n) => n.id),
  jobIds: REFERENCE_DATA.jobs.map((j) => j.id),
  jobFilter: { namespace: 'ml-training', priority: 100 },
};
