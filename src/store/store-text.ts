import { createHash } from 'node:crypto';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type { StoreData } from '../domain/model.js';
import { COLLECTIONS } from '../domain/store-schema.js';

/** Items stringified between two turns of the event loop: a few milliseconds each. */
const CHUNK = 500;

/** A cluster's collections are never edited, only replaced: their text is made once per array. */
const arrayTexts = new WeakMap<readonly unknown[], string[]>();

/**
 * The store's JSON file text (as lowdb writes it: `JSON.stringify(data, null, 2)`), in pieces of a
 * few hundred items, and its SHA-256, made a piece at a time: a compaction of 10,000 policies never
 * holds the event loop for the whole of it, requests are answered between pieces.
 */
export async function storeText(data: StoreData): Promise<{ parts: string[]; hash: string; length: number }> {
  const parts = [`{\n  "meta": ${indent(JSON.stringify(data.meta, null, 2))}`];
  for (const name of COLLECTIONS) {
    parts.push(`,\n  ${JSON.stringify(name)}: `);
    parts.push(...(await arrayText(data[name], name !== 'policies')));
  }
  parts.push('\n}');
  const hash = createHash('sha256');
  let length = 0;
  for (const part of parts) {
    hash.update(part);
    length += part.length;
    await yieldToEvents();
  }
  return { parts, hash: hash.digest('hex'), length };
}

/** The SHA-256 of a store file's text: what a log checkpoint names. */
export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function arrayText(list: readonly unknown[], cache: boolean): Promise<string[]> {
  const known = cache ? arrayTexts.get(list) : undefined;
  if (known !== undefined) return known;
  if (list.length === 0) return ['[]'];
  const pieces: string[] = [];
  for (let from = 0; from < list.length; from += CHUNK) {
    if (from > 0) await yieldToEvents();
    const items = list.slice(from, from + CHUNK).map((item) => `    ${indent(JSON.stringify(item, null, 2), 2)}`);
    pieces.push(`${from === 0 ? '[\n' : ',\n'}${items.join(',\n')}`);
  }
  pieces.push('\n  ]');
  if (cache) arrayTexts.set(list, pieces);
  return pieces;
}

/** `JSON.stringify(value, null, 2)` of a value nested `depth` levels in. */
const indent = (json: string, depth = 1) => json.replaceAll('\n', `\n${'  '.repeat(depth)}`);
