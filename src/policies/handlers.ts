import type { Request, Response } from 'express';
import type { OperationId } from '../spec/spec-index.js';
import type { PolicyDeleteRequest, PolicyRequest, PolicyService } from './policy-service.js';

export type OperationHandler = (req: Request, res: Response) => Promise<void> | void;

/** Path parameters are validated by the spec before a handler runs; Express types them loosely. */
const param = (req: Request, name: string): string => String(req.params[name]);

/** One thin handler per operationId: read the request, ask the service, send what the spec declares. */
export function policyHandlers(service: PolicyService): Record<OperationId, OperationHandler> {
  return {
    async policy_create(req, res) {
      const id = await service.create(req.body as PolicyRequest);
      res.type('text/plain').send(id);
    },
    async policy_update(req, res) {
      const id = await service.update(req.body as PolicyRequest);
      res.type('text/plain').send(id);
    },
    async policy_delete(req, res) {
      const message = await service.remove((req.body as PolicyDeleteRequest).id);
      res.json({ message, code: '200' });
    },
    policy_list(_req, res) {
      res.json(service.list());
    },
    policy_pods(req, res) {
      res.json(service.pods(param(req, 'policy_id')));
    },
    policy_jobs(req, res) {
      res.json(service.jobs(param(req, 'policy_id')));
    },
    get_job_policy_status(req, res) {
      res.json(service.jobStatus(param(req, 'policy_id')));
    },
    async sync_job_policies(_req, res) {
      res.json({ message: await service.syncJobs(), code: '200' });
    },
  };
}
