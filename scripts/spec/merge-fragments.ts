import { isDeepStrictEqual } from 'node:util';
import type { JsonObject, OpenApiDocument } from '../../src/spec/openapi-document.js';

/** One upstream OpenAPI document and the file it came from (named in errors). */
export interface Fragment {
  name: string;
  document: OpenApiDocument;
}

export type { JsonObject, OpenApiDocument } from '../../src/spec/openapi-document.js';

export class SpecMergeError extends Error {
  override name = 'SpecMergeError';
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * Merges per-operation fragments into one document: union of paths, each operation keeping its
 * fragment's top-level `security`, identical components de-duplicated. A path+method or a
 * component defined twice differently is an error naming both fragments.
 */
export function mergeFragments(fragments: readonly Fragment[]): OpenApiDocument {
  const [first] = fragments;
  if (!first) throw new SpecMergeError('no fragments to merge');

  const paths: Record<string, JsonObject> = {};
  const pathOwners = new Map<string, string>();
  const components: Record<string, Record<string, unknown>> = {};
  const componentOwners = new Map<string, string>();
  const tags: Array<{ name: string } & JsonObject> = [];
  const tagOwners = new Map<string, string>();

  for (const { name, document } of fragments) {
    if (document.openapi !== first.document.openapi) {
      throw new SpecMergeError(
        `${name} is OpenAPI ${document.openapi} but ${first.name} is ${first.document.openapi}`,
      );
    }
    for (const tag of document.tags ?? []) {
      const owner = tagOwners.get(tag.name);
      const existing = tags.find((t) => t.name === tag.name);
      if (!existing) {
        tags.push(tag);
        tagOwners.set(tag.name, name);
      } else if (!isDeepStrictEqual(existing, tag)) {
        throw new SpecMergeError(`tag "${tag.name}" differs between ${owner} and ${name}`);
      }
    }
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      const merged = (paths[path] ??= {});
      for (const [key, value] of Object.entries(item)) {
        const where = `${key.toUpperCase()} ${path}`;
        if (!METHODS.has(key)) {
          // Path-level fields (parameters, summary) must agree like components do.
          if (key in merged && !isDeepStrictEqual(merged[key], value)) {
            throw new SpecMergeError(`${where} differs between ${pathOwners.get(where)} and ${name}`);
          }
          merged[key] = value;
          pathOwners.set(where, name);
          continue;
        }
        const owner = pathOwners.get(where);
        if (owner) throw new SpecMergeError(`${where} is defined by both ${owner} and ${name}`);
        pathOwners.set(where, name);
        merged[key] = withSecurity(value as JsonObject, document.security);
      }
    }
    for (const [section, entries] of Object.entries(document.components ?? {})) {
      const target = (components[section] ??= {});
      for (const [key, value] of Object.entries(entries)) {
        const where = `components.${section}.${key}`;
        const owner = componentOwners.get(where);
        if (owner && !isDeepStrictEqual(target[key], value)) {
          throw new SpecMergeError(`${where} is defined differently by ${owner} and ${name}`);
        }
        if (!owner) componentOwners.set(where, name);
        target[key] = value;
      }
    }
  }

  return {
    openapi: first.document.openapi,
    info: first.document.info,
    ...(tags.length > 0 ? { tags } : {}),
    paths: sortKeys(paths),
    components: sortKeys(Object.fromEntries(Object.entries(components).map(([k, v]) => [k, sortKeys(v)]))),
  };
}

/** A fragment's top-level security applies to its operations; in the merge it must move onto them. */
function withSecurity(operation: JsonObject, security: unknown[] | undefined): JsonObject {
  if (operation.security !== undefined || security === undefined) return operation;
  return { ...operation, security };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
