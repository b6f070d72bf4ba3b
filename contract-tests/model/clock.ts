/**
 * A time the target reports (list's `timestamp`, job-status' `last_updated`) as the model knows it:
 * learned on first sight, then held; after a change, it must move forward (when the change is far
 * enough from the last one for the target's resolution to show it) and is learned again.
 */
export class Clock {
  private known = false;
  private value: unknown;
  private pending?: { from: unknown; mustDiffer: boolean };
  /** Local time when the last change was acknowledged. */
  private changedAt = Date.now();

  /** Wait, if need be, until a change sent now must show as a new time; true when it must. */
  async settle(): Promise<boolean> {
    const ref = this.known ? this.value : this.pending?.from;
    if (typeof ref !== 'string') return true;
    const resolution = resolutionMs(ref);
    const wait = resolution + 1 - (Date.now() - this.changedAt);
    // Sub-10 ms clocks cost at most that wait; coarser ones are judged only when time has passed anyway.
    if (wait > 0 && resolution <= 10) await new Promise((resolve) => setTimeout(resolve, wait));
    return Date.now() - this.changedAt > resolution;
  }

  /** The target acknowledged a change: the time must move (`mustDiffer`) or at least not go back. */
  changed(mustDiffer: boolean): void {
    if (this.known) this.pending = { from: this.value, mustDiffer };
    else if (this.pending) this.pending.mustDiffer ||= mustDiffer;
    this.known = false;
    this.changedAt = Date.now();
  }

  /** Forget it (the policy became another kind): the next sight is learned. */
  reset(): void {
    this.known = false;
    this.pending = undefined;
    this.changedAt = Date.now();
  }

  /** A problem with what the target shows now, or undefined; the value is learned either way. */
  observe(value: unknown): { moved: false; from: unknown } | { moved: true; from: unknown } | undefined {
    const pending = this.pending;
    const before = this.value;
    const wasKnown = this.known;
    this.known = true;
    this.value = value;
    this.pending = undefined;
    if (pending) {
      const ok =
        typeof value === 'string' &&
        !Number.isNaN(Date.parse(value)) &&
        (typeof pending.from !== 'string' || Date.parse(value) >= Date.parse(pending.from)) &&
        (!pending.mustDiffer || value !== pending.from);
      return ok ? undefined : { moved: true, from: pending.from };
    }
    if (wasKnown && JSON.stringify(value) !== JSON.stringify(before)) return { moved: false, from: before };
    return undefined;
  }
}

/** Milliseconds one step of an RFC 3339 time's last digit stands for (1000 without fractions). */
export function resolutionMs(time: string): number {
  const digits = /:\d{2}(?:\.(\d+))?(?:Z|[+-]\d{2}:?\d{2})$/i.exec(time)?.[1]?.length ?? 0;
  return digits >= 3 ? 1 : 10 ** (3 - digits);
}
