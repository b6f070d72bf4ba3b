import { ContractSetupError } from './config.js';
import { isRuleId, type RuleId } from './rules/index.js';

/** `--rules a,b` / CONTRACT_RULES: ids of the registry, or a set-up error. */
export function parseRules(raw: string | undefined): RuleId[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const ids = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of ids) if (!isRuleId(id)) throw new ContractSetupError(`unknown rule "${id}"`);
  return ids as RuleId[];
}
