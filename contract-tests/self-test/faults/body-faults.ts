import { apiError, jsonObject, type Divergence, type HeldRequest } from './fault-proxy.js';

const BODY_PATHS = ['/v2/policy/create', '/v2/policy/update', '/v2/policy/delete'];
const withBody = (req: HeldRequest) => BODY_PATHS.includes(req.path) && req.body.length > 0;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const startsWithBom = (req: HeldRequest) => withBody(req) && req.body.subarray(0, 3).equals(BOM);
const isUtf8 = (bytes: Buffer) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/** The first JSON value of `text` (an object), as a decoder that stops there reads it. */
function firstDocument(text: string): string {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(0, i + 1);
  }
  return text;
}

/** Faults of body handling that truncated JSON never shows. */
export const BODY_FAULTS = {
  // Go's json.NewDecoder(r).Decode(&v): one value read, the rest of the body never looked at.
  trailing_data_ignored: {
    request: (req) => (withBody(req) ? { ...req, body: Buffer.from(firstDocument(req.body.toString('utf8'))) } : req),
  },
  // Bytes that are not UTF-8 read as Latin-1 and stored.
  non_utf8_read_as_latin1: {
    request: (req) => (withBody(req) && !isUtf8(req.body) ? { ...req, body: Buffer.from(req.body.toString('latin1'), 'utf8') } : req),
  },
} satisfies Record<string, Divergence>;

/** A byte-order mark (which a parser may ignore or refuse) must not crash the target. */
export const BOM_FAULTS = {
  // An exception the parser throws on a byte-order mark reaches the client as a 500.
  crash_on_byte_order_mark: {
    request: (req) => (startsWithBom(req) ? apiError(500, 'Unexpected token \ufeff in JSON at position 0') : req),
  },
} satisfies Record<string, Divergence>;

/** A delete that knows only `id`: PolicyDeleteRequest allows other properties. */
export const UNKNOWN_PROPERTY_FAULTS = {
  delete_refuses_unknown_properties: {
    request: (req) => {
      const body = req.path === '/v2/policy/delete' ? jsonObject(req.body) : undefined;
      const extra = body ? Object.keys(body).filter((k) => k !== 'id') : [];
      return extra.length > 0 ? apiError(400, `unknown field ${extra.join(', ')}`) : req;
    },
  },
} satisfies Record<string, Divergence>;

/** Differences the contract allows. */
export const BODY_VARIANTS = {
  // RFC 8259 §8.1 lets a parser ignore a BOM; it need not.
  refuses_byte_order_mark: { request: (req) => (startsWithBom(req) ? apiError(400, 'a body must not start with a byte-order mark') : req) },
  // 415 for content the server will not decode (RFC 9110 §15.5.16), rather than 400.
  non_utf8_answered_415: {
    request: (req) => (withBody(req) && !isUtf8(req.body) ? apiError(415, 'request bodies must be UTF-8') : req),
  },
} satisfies Record<string, Divergence>;
