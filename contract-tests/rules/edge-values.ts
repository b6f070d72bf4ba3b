import { semantics } from '../basis.js';
import type { Exchange } from '../client.js';
import { validPolicyBody } from '../bodies.js';
import { withLiteral } from '../edge-refusals.js';
import { OP } from '../operations.js';
import type { RuleContext } from './rule-context.js';

const INPUT_IS_HEARTBEAT = semantics('`input` = heartbeat_time');

/**
 * heartbeat_time is an int64 ≥ 0. Each edge: `must` be accepted (every integer a double keeps
 * exactly), `may` (an int64 past 2^53: kept exactly, or refused by a target that cannot keep it,
 * as the mock does — never changed). Past the int64 maximum the request is refused (refusals below).
 */
const HEARTBEAT_EDGES: { literal: string; must: boolean }[] = [
  { literal: '0', must: true },
  { literal: '2147483647', must: true },
  { literal: '2147483648', must: true },
  { literal: '4294967296', must: true },
  { literal: '9007199254740991', must: true },
  { literal: '9007199254740993', must: false },
  { literal: '9223372036854775807', must: false },
];

/**
 * A heartbeat_time the target accepts reads back exactly as list's `input`, after a create and
 * after an update (README: "`input` = heartbeat_time"). Compared as text past 2^53, where a double
 * would hide the difference.
 */
export async function checkHeartbeatReadback(ctx: RuleContext): Promise<void> {
  const s = ctx.runState;
  const base = validPolicyBody(s.profile, 'pods', s.resourceName('edge'), 'full');
  const { id: updated } = await s.createJson(base);
  for (const { literal, must } of HEARTBEAT_EDGES) {
    const created = await s.create({ rawBody: withLiteral(base, 'heartbeat_time', literal) });
    await judge(ctx, OP.create, created.exchange.response.status, created.id, literal, must, created.exchange);
    if (updated === undefined) continue;
    const exchange = await s.update({ rawBody: withLiteral({ ...base, id: updated }, 'heartbeat_time', literal) });
    await judge(ctx, OP.update, exchange.response.status, updated, literal, must, exchange);
  }
}

async function judge(
  ctx: RuleContext,
  operationId: string,
  status: number,
  id: string | undefined,
  literal: string,
  must: boolean,
  exchange: Exchange,
): Promise<void> {
  const what = `heartbeat_time ${literal}`;
  if (status !== 200 || id === undefined) {
    if (must) ctx.fail(operationId, `${operationId === OP.create ? 'create' : 'update'} with ${what} (a valid int64) → 200`, { exchange });
    return;
  }
  const { exchange: listed } = await ctx.runState.list();
  const input = readBack(listed, id, literal);
  ctx.check(
    input === literal,
    OP.list,
    `after a ${operationId === OP.create ? 'create' : 'update'} with ${what}, list's input reads it back exactly`,
    {
      exchange: listed,
      actual: `input ${input ?? '(policy not listed)'}`,
      basis: INPUT_IS_HEARTBEAT,
    },
  );
}

/**
 * list's `input` for policy `id`, as text. Within 2^53 from the parsed JSON (the text shown is
 * masked, and a short token can be masked inside any word); past it from the text, where a double
 * would hide a change, falling back to the JSON when masking hid the entry.
 */
function readBack(listed: Exchange, id: string, literal: string): string | undefined {
  const json = listed.response.json;
  const parsed = Array.isArray(json)
    ? (json as unknown[]).find((e): e is { input?: unknown } => typeof e === 'object' && e !== null && (e as { id?: unknown }).id === id)
    : undefined;
  const number = typeof parsed?.input === 'number' ? parsed.input : undefined;
  // A number that reads back as a string ("0") is not read back exactly: shown quoted.
  if (Number.isSafeInteger(Number(literal)))
    return parsed === undefined ? undefined : number !== undefined ? String(number) : JSON.stringify(parsed.input);
  const entry = entryText(listed.response.text, id);
  const text = entry === undefined ? undefined : /"input"\s*:\s*(-?[\d.eE+-]+)/.exec(entry)?.[1];
  return text ?? (number !== undefined && number === Number(literal) ? literal : number === undefined ? undefined : String(number));
}

/** The text of the list entry whose id is `id` (a scan of the top-level array, strings respected). */
export function entryText(text: string, id: string): string | undefined {
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' && ++depth === 1) start = i;
    else if (c === '}' && --depth === 0) {
      const entry = text.slice(start, i + 1);
      if (entry.includes(`"${id}"`) && new RegExp(`"id"\\s*:\\s*"${id}"`).test(entry)) return entry;
    }
  }
  return undefined;
}
