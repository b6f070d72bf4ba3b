import { matchedJobs, monitoredPods } from '../../domain/match.js';
import type { SessionRegistry } from '../../store/session-registry.js';
import type { Simulation } from '../../store/simulation.js';
import type { RouteRow } from './route-row.js';
import { ApiError } from '../errors/api-error.js';
import { trueOrFalse } from './admin-query.js';
import { addressedBy } from './addressed.js';
import type { CoverageReport } from './admin-api.js';
import { controlsBody, readControls } from '../controls/runtime-controls.js';
import type { StoreControls } from '../controls/store-controls.js';
import type { Coverage } from '../logging/coverage.js';
import type { Journal } from '../logging/journal.js';

export interface InspectorOptions {
  sessions: SessionRegistry;
  journal: Journal;
  coverage: Coverage;
  /** Each store's delay and fault rates. */
  controls: StoreControls;
  operationIds: readonly string[];
  simulation?: () => Simulation | undefined;
}

/**
 * The admin routes the inspector page reads (any client may): a cheap version to poll, the
 * policies as the API would show them, coverage, run-time controls, one session dropped.
 */
export function inspectorRoutes(options: InspectorOptions): RouteRow[] {
  const { sessions, journal, coverage, controls } = options;
  const addressed = addressedBy(sessions);
  return [
    // Polled by the page every second: numbers only, so nothing is built unless something changed.
    [
      'get',
      '/version',
      (req, res) => {
        const store = addressed(req).store();
        res.json({
          store: store.version,
          journal: journal.lastSeq,
          ticks: options.simulation?.()?.ticksOf(store) ?? null,
          simulating: options.simulation?.() !== undefined,
        });
      },
    ],
    // Each policy with its pods and jobs computed as /pods and /jobs compute them, and the last sync.
    [
      'get',
      '/policies',
      (req, res) => {
        const store = addressed(req).store();
        const { index } = store;
        res.json(
          store.policies.map((policy) => ({
            id: policy.id,
            resource: policy.resource,
            resourceName: policy.resourceName,
            clusterId: policy.clusterId,
            heartbeatTime: policy.heartbeatTime,
            resourceIds: policy.resourceIds,
            jobFilter: policy.jobFilter,
            pods: monitoredPods(policy, index).map((p) => p.id),
            jobs: policy.resource === 'jobs' ? matchedJobs(policy, index).map((j) => j.id) : null,
            lastSync: policy.tracking && {
              at: policy.tracking.syncedAt,
              jobStatus: policy.tracking.jobStatus,
              jobs: policy.tracking.jobIds.length,
              pods: policy.tracking.podIds.length,
            },
            updatedAt: policy.updatedAt,
          })),
        );
      },
    ],
    [
      'get',
      '/coverage',
      (req, res) => {
        res.json({ ...coverage.report(addressed(req).session), sessions: coverage.sessions() } satisfies CoverageReport);
      },
    ],
    [
      'delete',
      '/coverage',
      (req, res) => {
        // Only the addressed store's client (a worker must not wipe the others'); `?all=true` all.
        const { session } = addressed(req);
        const all = (req.query as { all?: string }).all === 'true';
        coverage.clear(all ? undefined : session);
        res.json({
          message: all ? 'coverage cleared' : `coverage of ${session === null ? 'the default store' : `session ${session}`} cleared`,
        });
      },
      { all: trueOrFalse },
    ],
    [
      'get',
      '/controls',
      (req, res) => {
        res.json(controlsBody(controls.of(addressed(req).store())));
      },
    ],
    [
      'put',
      '/controls',
      (req, res) => {
        const current = controls.of(addressed(req).store());
        const next = readControls(req.body, current, options.operationIds);
        if (Array.isArray(next)) throw new ApiError(400, `not valid controls (${next.length} problem(s)); nothing changed`, next);
        Object.assign(current, next);
        res.json(controlsBody(current));
      },
    ],
  ];
}
