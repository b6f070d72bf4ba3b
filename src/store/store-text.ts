import { createHash } from 'node:crypto';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import type { StoreData } from '../domain/model.js';
import { COLLECTIONS } from '../domain/store-schema.js';

/** Items stringified between two turns of the event loop: a few milliseconds each. */
const CHUNK = 500;

/** A cluster's collections are never edited, only replaced: their text is made once per array. */
const arrayTexts = new WeakMap<readonly unknown[], string>();

/**
 * The store's JSON file text (as lowdb writes it: `JSON.stringify(data, null, 2)`) and its SHA-256,
 * made a chunk at a time so that a compaction of 10,000 policies never holds the event loop for the
 * whole of it: requests are answered between chunks.
 */
export async function storeText(data: StoreData): Promise<{ text: string; hash: string }> {
  const parts = [`{\n  "meta": ${indent(JSON.stringify(data.meta, null, 2))}`];
  for (const name of COLLECTIONS) parts.push(`,\n  ${JSON.stringify(name)}: ${await arrayText(data[name], name !== 'policies')}`);
  parts.push('\n}');
  const text = parts.join('');
  return { text, hash: textHash(text) };
}

/** The SHA-256 of a store file's text: what a log checkpoint names. */
export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function arrayText(list: readonly unknown[], cache: boolean): Promise<string> {
  const known = cache ? arrayTexts.get(list) : undefined;
  if (known !== undefined) return known;
  if (list.length === 0) return '[]';
  const items: string[] = [];
  for (let i = 0; i < list.length; i++) {
    if (i > 0 && i % CHUNK === 0) await yieldToEvents();
    items.push(`    ${indent(JSON.stringify(list[i], null, 2), 2)}`);
  }
  const text = `[\n${items.join(',\n')}\n  ]`;
  if (cache) arrayTexts.set(list, text);
  return text;
}

/** `JSON.stringify(value, null, 2)` of a value nested `depth` levels in. */
const indent = (json: string, depth = 1) => json.replaceAll('\n', `\n${'  '.repeat(depth)}`);
