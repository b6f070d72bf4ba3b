import { clip, type ProblemDetail } from '../../domain/refusal.js';

/** One request as the journal keeps it. */
export interface JournalEntry {
  time: string;
  session: string | null;
  method: string;
  path: string;
  operationId: string | null;
  status: number;
  durationMs: number;
  /** What was wrong, when something was (a validation message, an injected fault). */
  problem: string | null;
  /** The refusal's ApiError details (at most JOURNAL_TEXT_LIMITS.details). */
  details?: ProblemDetail[] | null;
  /** The JSON body sent, as text (clipped), so the inspector can copy the request as curl. */
  body?: string | null;
  /** Numbered from 1 as added: `entries({after})` gives what is new since a client last looked. */
  seq?: number;
}

/** What one entry keeps at most of what a client sent: `capacity` entries are then a bounded size. */
export const JOURNAL_TEXT_LIMITS = { path: 2048, problem: 1000, session: 64, body: 4096, details: 10, detail: 300 };

/**
 * One request as the request log hands it over: references and numbers, its text made only when
 * read (most entries are never read; formatting each cost ~5 % of a request). Strings are clipped
 * already; `body` is the parsed body only when it came in at most JOURNAL_TEXT_LIMITS.body bytes
 * (otherwise its clipped text), `details` at most JOURNAL_TEXT_LIMITS.details items: an entry's
 * size stays bounded whatever a client sends.
 */
export type JournalRecord = Omit<JournalEntry, 'time' | 'details' | 'body'> & {
  startedMs: number;
  details: readonly ProblemDetail[] | null;
  body: { parsed: unknown } | { text: string } | null;
};

/** A record as clients read it; the log's line has neither the details nor the body (`sent` false). */
export function journalEntry(record: JournalRecord, sent = true): JournalEntry {
  const { startedMs, details, body, seq, ...fields } = record;
  const entry: JournalEntry = { time: new Date(startedMs).toISOString(), ...fields };
  if (!sent) return entry;
  entry.details =
    details?.map((d) => ({ path: clip(d.path, JOURNAL_TEXT_LIMITS.detail), message: clip(d.message, JOURNAL_TEXT_LIMITS.detail) })) ?? null;
  entry.body = body === null ? null : 'text' in body ? body.text : clip(JSON.stringify(body.parsed), JOURNAL_TEXT_LIMITS.body);
  if (seq !== undefined) entry.seq = seq;
  return entry;
}

/** The last N requests, oldest first, in a ring: a long demo never grows it, whatever clients send. */
export class Journal {
  #ring: Array<JournalRecord | undefined>;
  #next = 0;
  #size = 0;
  #seq = 0;

  constructor(readonly capacity: number) {
    this.#ring = new Array<JournalRecord | undefined>(capacity);
  }

  /** The seq of the last entry added (0 before any): cheap to poll. */
  get lastSeq(): number {
    return this.#seq;
  }

  add(record: JournalRecord): void {
    if (this.capacity === 0) return;
    record.seq = ++this.#seq;
    this.#ring[this.#next] = record;
    this.#next = (this.#next + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
  }

  entries(filter: { session?: string | null; limit?: number; after?: number } = {}): JournalEntry[] {
    const after = filter.after ?? 0;
    const selected = this.#records().filter((e) => (filter.session === undefined || e.session === filter.session) && (e.seq ?? 0) > after);
    // slice(-0) would be everything.
    if (filter.limit === 0) return [];
    return (filter.limit === undefined ? selected : selected.slice(-filter.limit)).map((record) => journalEntry(record));
  }

  #records(): JournalRecord[] {
    const all: JournalRecord[] = [];
    for (let i = 0; i < this.#size; i++) all.push(this.#ring[(this.#next - this.#size + i + this.capacity) % this.capacity]!);
    return all;
  }

  /** Forgets every entry, or only one store's (null: the default store's). */
  clear(session?: string | null): void {
    const kept = session === undefined ? [] : this.#records().filter((e) => e.session !== session);
    this.#ring = new Array<JournalRecord | undefined>(this.capacity);
    this.#next = 0;
    this.#size = 0;
    // Kept as they were, seq included: a client polling with `after` sees no entry twice.
    for (const entry of kept) {
      this.#ring[this.#next] = entry;
      this.#next = (this.#next + 1) % this.capacity;
      this.#size++;
    }
  }
}
