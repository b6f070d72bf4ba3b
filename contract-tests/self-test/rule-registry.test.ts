import { describe, expect, it } from 'vitest';
import { SPEC } from '../basis.js';
import { RULE_IDS, RULES } from '../rules/index.js';
import { RuleRegistry } from '../rules/rule-registry.js';
import { defineRule } from '../rules/rule.js';

// Pinned: CI dashboards key on the ids and read the report in this order.
describe('the rule registry', () => {
  it('reports the rules by their numbers', () => {
    expect(RULE_IDS).toEqual([
      'status_code_conformance',
      'content_type_conformance',
      'response_schema_conformance',
      'negative_data_rejection',
      'positive_data_acceptance',
      'not_a_server_error',
      'lifecycle',
      'use_after_free',
      'unknown_id',
      'cross_endpoint_consistency',
      'ignored_auth',
      'model_conformance',
      'differential_agreement',
      'error_code_is_status',
    ]);
  });

  it('runs the scenarios first and the judges of every exchange last', () => {
    const order = RULES.executionOrder();
    const judges = RULES.judges().map((r) => r.id);
    expect(judges).toEqual(['status_code_conformance', 'content_type_conformance', 'response_schema_conformance', 'error_code_is_status']);
    expect(order.slice(-judges.length)).toEqual(judges);
    expect(order.slice(0, 2)).toEqual(['positive_data_acceptance', 'negative_data_rejection']);
  });

  it('refuses two rules with one id or one order', () => {
    const rule = (id: string, reportOrder: number, runOrder: number) =>
      defineRule({ id, basis: SPEC, kind: 'scenario', reportOrder, runOrder, run: () => Promise.resolve() });
    expect(() => new RuleRegistry([rule('a', 1, 1), rule('a', 2, 2)])).toThrow(/id/);
    expect(() => new RuleRegistry([rule('a', 1, 1), rule('b', 1, 2)])).toThrow(/reportOrder/);
    expect(() => new RuleRegistry([rule('a', 1, 1), rule('b', 2, 1)])).toThrow(/runOrder/);
  });
});
