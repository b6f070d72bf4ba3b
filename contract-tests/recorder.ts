import { groupKey, keptFailure, type Failure } from './failure.js';

import type { RuleState } from './rule-state.js';

/** Groups kept per rule × operation; failures beyond them are counted (a fuzzer can find hundreds). */
const GROUPS_PER_CELL = 10;
/** Distinct other expectations named per group. */
const ALIKE_PER_GROUP = 5;

interface Group {
  example: Failure;
  count: number;
  alike: Set<string>;
}

interface Cell {
  passes: number;
  /** By groupKey: rule, operation and schema pointer. */
  groups: Map<string, Group>;
  omitted: number;
}

/**
 * Outcomes per rule × operation, exchanges judged per judge rule, and every declared status
 * observed. What it keeps is bounded: GROUPS_PER_CELL examples per cell, each cut (keptFailure).
 */
export class Recorder {
  private readonly cells = new Map<string, Cell>();
  private readonly observed = new Map<string, Set<number>>();
  private readonly judgedBy = new Map<string, number>();

  pass(rule: string, operationId: string): void {
    this.cell(rule, operationId).passes++;
  }

  /** Kept in full the first time its group is seen; after that, only counted. */
  fail(failure: Failure): void {
    const cell = this.cell(failure.rule, failure.operationId);
    const key = groupKey(failure);
    const group = cell.groups.get(key);
    if (group) {
      group.count++;
      if (group.alike.size < ALIKE_PER_GROUP && failure.expected !== group.example.expected) group.alike.add(keptFailure(failure).expected);
    } else if (cell.groups.size < GROUPS_PER_CELL) cell.groups.set(key, { example: keptFailure(failure), count: 1, alike: new Set() });
    else cell.omitted++;
  }

  /** A judge rule gave a verdict (pass or fail) on one exchange. */
  judged(rule: string): void {
    this.judgedBy.set(rule, (this.judgedBy.get(rule) ?? 0) + 1);
  }

  exchangesJudged(rule: string): number {
    return this.judgedBy.get(rule) ?? 0;
  }

  observe(operationId: string, status: number): void {
    let set = this.observed.get(operationId);
    if (!set) this.observed.set(operationId, (set = new Set()));
    set.add(status);
  }

  observedStatuses(operationId: string): ReadonlySet<number> {
    return this.observed.get(operationId) ?? new Set();
  }

  state(rule: string, operationId: string): RuleState {
    const cell = this.cells.get(key(rule, operationId));
    if (!cell) return 'skipped';
    return cell.groups.size > 0 || cell.omitted > 0 ? 'failed' : 'passed';
  }

  /** One example per group, carrying the group's count and its other expectations. */
  failures(rule: string): Failure[] {
    const out: Failure[] = [];
    for (const cell of this.cellsOf(rule)) {
      for (const { example, count, alike } of cell.groups.values()) {
        out.push({ ...example, ...(count > 1 ? { repeats: count } : {}), ...(alike.size > 0 ? { alike: [...alike] } : {}) });
      }
    }
    return out;
  }

  omitted(rule: string): number {
    let total = 0;
    for (const cell of this.cellsOf(rule)) total += cell.omitted;
    return total;
  }

  /** Every failure of the rule, grouped or not. */
  failureCount(rule: string): number {
    let total = 0;
    for (const cell of this.cellsOf(rule)) {
      total += cell.omitted;
      for (const group of cell.groups.values()) total += group.count;
    }
    return total;
  }

  ran(rule: string): boolean {
    return this.cellsOf(rule).length > 0;
  }

  private cellsOf(rule: string): Cell[] {
    const out: Cell[] = [];
    for (const [k, cell] of this.cells) if (k.startsWith(`${rule} `)) out.push(cell);
    return out;
  }

  private cell(rule: string, operationId: string): Cell {
    const k = key(rule, operationId);
    let cell = this.cells.get(k);
    if (!cell) this.cells.set(k, (cell = { passes: 0, groups: new Map(), omitted: 0 }));
    return cell;
  }
}

const key = (rule: string, operationId: string) => `${rule} ${operationId}`;
