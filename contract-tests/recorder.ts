import type { Failure } from './failure.js';

export type CellState = 'pass' | 'fail' | 'not run';

/** Failures kept in full per rule × operation; the rest are counted (a fuzzer can find hundreds). */
const DETAILED_PER_CELL = 3;

interface Cell {
  passes: number;
  failures: Failure[];
  omitted: number;
}

/** Outcomes per rule × operation, and every declared status actually observed. */
export class Recorder {
  private readonly cells = new Map<string, Cell>();
  private readonly observed = new Map<string, Set<number>>();

  pass(rule: string, operationId: string): void {
    this.cell(rule, operationId).passes++;
  }

  fail(failure: Failure): void {
    const cell = this.cell(failure.rule, failure.operationId);
    if (cell.failures.length < DETAILED_PER_CELL) cell.failures.push(failure);
    else cell.omitted++;
  }

  observe(operationId: string, status: number): void {
    let set = this.observed.get(operationId);
    if (!set) this.observed.set(operationId, (set = new Set()));
    set.add(status);
  }

  observedStatuses(operationId: string): ReadonlySet<number> {
    return this.observed.get(operationId) ?? new Set();
  }

  state(rule: string, operationId: string): CellState {
    const cell = this.cells.get(key(rule, operationId));
    if (!cell) return 'not run';
    return cell.failures.length > 0 ? 'fail' : 'pass';
  }

  failures(rule: string): Failure[] {
    const out: Failure[] = [];
    for (const [k, cell] of this.cells) if (k.startsWith(`${rule} `)) out.push(...cell.failures);
    return out;
  }

  omitted(rule: string): number {
    let total = 0;
    for (const [k, cell] of this.cells) if (k.startsWith(`${rule} `)) total += cell.omitted;
    return total;
  }

  ran(rule: string): boolean {
    for (const k of this.cells.keys()) if (k.startsWith(`${rule} `)) return true;
    return false;
  }

  private cell(rule: string, operationId: string): Cell {
    const k = key(rule, operationId);
    let cell = this.cells.get(k);
    if (!cell) this.cells.set(k, (cell = { passes: 0, failures: [], omitted: 0 }));
    return cell;
  }
}

const key = (rule: string, operationId: string) => `${rule} ${operationId}`;
