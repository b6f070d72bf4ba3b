/**
 * Where an expectation comes from. `spec`: the OpenAPI document itself (schemas, declared statuses
 * and media types, required fields, security). `semantics`: the API's documented meaning (what a
 * policy monitors, counts, defaults, refusals), with the sentence it enforces and where it is.
 */
export type Source = 'spec' | 'semantics';

export interface Basis {
  readonly source: Source;
  /** For semantics: the documented sentence, and the page it is on. */
  readonly says?: string | undefined;
}

export const SPEC: Basis = Object.freeze({ source: 'spec' });

/** A documented sentence of docs/api.md (the API's meaning, as the mock implements it). */
export const semantics = (sentence: string, page = 'docs/api.md'): Basis =>
  Object.freeze({ source: 'semantics', says: `${page}: "${sentence}"` });

/** How much a run holds a target to: `spec` only what the OpenAPI document requires; `full` its documented meaning too. */
export type Level = 'spec' | 'full';
export const LEVELS: readonly Level[] = ['spec', 'full'];

/** Whether a check of this basis counts at this level. */
export const counts = (basis: Basis, level: Level): boolean => level === 'full' || basis.source === 'spec';

/** One line for reports: `spec (the OpenAPI document)`, or `semantics — docs/api.md: "…"`. */
export const describeBasis = (basis: Basis | undefined): string =>
  basis === undefined || basis.source === 'spec' ? 'spec (the OpenAPI document)' : `semantics — ${basis.says ?? 'the documented meaning'}`;
