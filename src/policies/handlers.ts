import type { Request, Response } from 'express';
import type { OperationId } from '../spec/spec-index.js';
import type { PolicyDeleteRequest, PolicyRequest, PolicyService } from '../domain/policy-service.js';

/** A handler gets the service of the store the request addresses (the default one, or a session's). */
export type OperationHandler = (service: PolicyService, req: Request, res: Response) => Promise<void> | void;

/** Path parameters are validated by the spec before a handler runs; Express types them loosely. */
const param = (req: Request, name: string): string => String(req.params[name]);

/** One thin handler per operationId: read the request, ask the service, send what the spec declares. */
export const policyHandlers: Record<OperationId, OperationHandler> = {
  async policy_create(service, req, res) {
    const id = await service.create(req.body as PolicyRequest);
    res.type('text/plain').send(id);
  },
  async policy_update(service, req, res) {
    const id = await service.update(req.body as PolicyRequest);
    res.type('text/plain').send(id);
  },
  async policy_delete(service, req, res) {
    const message = await service.remove((req.body as PolicyDeleteRequest).id);
    res.json({ message, code: '200' });
  },
  policy_list(service, _req, res) {
    const sent = service.sentList();
    if (sent !== undefined) {
      // The same bytes as the validated answer of this store version (see PolicyService.sentList).
      res.set('Content-Type', 'application/json; charset=utf-8').send(sent);
      return;
    }
    const version = service.version;
    // Out through response validation; the text Express then makes of the list is kept, and reused
    // only if the answer left as a 200, i.e. passed validation. (Kept, not serialised again: at
    // 10,000 policies a serialisation is a fifth of the time of a list.)
    let json: string | undefined;
    const send = res.send;
    res.send = function (this: Response, body?: unknown) {
      if (typeof body === 'string') json = body;
      return send.call(this, body);
    } as Response['send'];
    res.once('finish', () => {
      if (res.statusCode === 200 && json !== undefined) service.rememberSentList(version, json);
    });
    res.json(service.list());
  },
  policy_pods(service, req, res) {
    res.json(service.pods(param(req, 'policy_id')));
  },
  policy_jobs(service, req, res) {
    res.json(service.jobs(param(req, 'policy_id')));
  },
  get_job_policy_status(service, req, res) {
    res.json(service.jobStatus(param(req, 'policy_id')));
  },
  async sync_job_policies(service, _req, res) {
    res.json({ message: await service.syncJobs(), code: '200' });
  },
};
