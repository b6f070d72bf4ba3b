import type { JudgeRule, Rule } from './rule.js';

/** Every question about "which rules" is a query here; it knows no rule by name. */
export class RuleRegistry<Id extends string> {
  /** Ids in report order. */
  readonly ids: readonly Id[];
  private readonly byId: ReadonlyMap<string, Rule<Id>>;
  private readonly rules: readonly Rule<Id>[];

  constructor(rules: readonly Rule<Id>[]) {
    for (const key of ['id', 'reportOrder', 'runOrder'] as const) {
      const seen = new Set(rules.map((r) => r[key]));
      if (seen.size !== rules.length) throw new Error(`two rules share one ${key}`);
    }
    this.rules = [...rules].sort((a, b) => a.reportOrder - b.reportOrder);
    this.ids = this.rules.map((r) => r.id);
    this.byId = new Map(this.rules.map((r) => [r.id, r]));
  }

  get(id: Id): Rule<Id> {
    const rule = this.byId.get(id);
    if (!rule) throw new Error(`no rule ${id}`);
    return rule;
  }

  has(value: string): value is Id {
    return this.byId.has(value);
  }

  /** Ids in the order their scenarios run. */
  executionOrder(): Id[] {
    return [...this.rules].sort((a, b) => a.runOrder - b.runOrder).map((r) => r.id);
  }

  /** The rules judged on every exchange, in report order. */
  judges(): JudgeRule<Id>[] {
    return this.rules.filter((r): r is JudgeRule<Id> => r.kind === 'judge');
  }
}
