import type { Exchange } from '../client.js';
import type { Operation, SpecDocument } from '../spec.js';
import { UUID } from '../uuid.js';
import type { SpecValidator } from '../validator.js';

export interface RequestCheck {
  /** What the request breaks of the spec, in words (a client finding each). */
  problems: string[];
  /** Its body is certainly invalid: a faithful backend must refuse it. */
  invalidBody: boolean;
}

const escapePointer = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');

/** The request against the spec: its JSON body's schema and media type, and a path id's format. */
export function checkRequest(
  exchange: Exchange,
  operation: Operation,
  sent: { json: unknown; bodyCut: boolean; pathId?: string | undefined },
  spec: SpecDocument,
  validator: SpecValidator,
): RequestCheck {
  const { json, pathId } = sent;
  const problems: string[] = [];
  let invalidBody = false;
  const { headers } = exchange.request;
  // A body cut at the cap cannot be judged: nothing is said of it.
  if (operation.requestSchema && !sent.bodyCut) {
    const mediaType = (headers['Content-Type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (mediaType !== 'application/json') problems.push(`Content-Type ${mediaType || '(none)'}, the spec takes application/json`);
    else if (json === undefined) problems.push('the body is not JSON');
    else {
      const pointer = `#/paths/${escapePointer(operation.path)}/${operation.method.toLowerCase()}/requestBody/content/application~1json/schema`;
      for (const error of validator.validate(pointer, json).slice(0, 5)) problems.push(`body ${error.pointer} ${error.message}`);
    }
    invalidBody = problems.length > 0;
  }
  const parameter = spec.paths[operation.path]?.[operation.method.toLowerCase()]?.parameters?.find((p) => p.in === 'path') as
    { schema?: { format?: string } } | undefined;
  if (pathId !== undefined && parameter?.schema?.format === 'uuid' && !UUID.test(pathId)) {
    problems.push(`path id ${JSON.stringify(pathId)} is not a UUID`);
  }
  return { problems, invalidBody };
}
