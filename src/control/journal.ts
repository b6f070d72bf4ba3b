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
}

/** The last N requests, oldest first. Bounded, so a long demo never grows it without end. */
export class Journal {
  #entries: JournalEntry[] = [];

  constructor(readonly capacity: number) {}

  add(entry: JournalEntry): void {
    if (this.capacity === 0) return;
    this.#entries.push(entry);
    // Trimmed in batches, not by one at every request: up to twice the capacity is kept, and
    // `entries` shows the last `capacity` of them.
    if (this.#entries.length >= 2 * this.capacity) this.#entries.splice(0, this.#entries.length - this.capacity);
  }

  entries(filter: { session?: string | null; limit?: number } = {}): JournalEntry[] {
    const kept = this.#entries.length > this.capacity ? this.#entries.slice(-this.capacity) : this.#entries;
    const selected = filter.session === undefined ? kept : kept.filter((e) => e.session === filter.session);
    // slice(-0) would be everything.
    if (filter.limit === 0) return [];
    return filter.limit === undefined ? [...selected] : selected.slice(-filter.limit);
  }

  clear(): void {
    this.#entries = [];
  }
}
