import { TOKEN_VARIABLE } from '../secret-mask.js';
import { oneLine } from '../printable.js';
import { describe, ModelMismatch, type StepRecord } from './target-driver.js';
import { Divergence, type FoundFailure, type SequenceFailure } from './sequence-check.js';

/** One target's part of a failing sequence: each step, what came back, and the curl lines to replay it. */
export function renderTranscript(transcript: readonly StepRecord[], tokenVariable = TOKEN_VARIABLE): string {
  const lines: string[] = [];
  transcript.forEach((record, i) => {
    const answers = record.exchanges.map((ex) => String(ex.response.status || 'no answer')).join(', ');
    lines.push(`  ${i + 1}. ${record.description} → ${answers || '(nothing sent)'}`);
    for (const ex of record.exchanges) lines.push(`     ${oneLine(ex.curl.split(TOKEN_VARIABLE).join(tokenVariable))}`);
  });
  return lines.join('\n');
}

/** How the shortest failing sequence was found, and how to find it again (the run's seed finds every failure again). */
export function renderProvenance(found: FoundFailure, modelRuns: number, runSeed: number): string {
  const path = found.path !== undefined ? `, fast-check path "${found.path}"` : '';
  return `shortest failing sequence: ${found.steps.length} step(s), after ${found.runs} of ${modelRuns} generated sequence(s) and ${found.shrinks} shrink(s) (generation seed ${found.seed}${path}; rerun with --seed ${runSeed} --model-runs ${modelRuns})`;
}

/** What broke, in words: the model's expectation with what the target answered, or an unexpected error. */
export function renderError(failure: SequenceFailure): string {
  const e = failure.error;
  if (e instanceof ModelMismatch) return `✗ at step ${failure.steps.length}: ${e.label}${e.detail ? ` — ${e.detail}` : ''}`;
  if (e instanceof Divergence) return `✗ at step ${e.step}: the targets answered differently`;
  return `✗ the sequence could not run: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
}

/** Where two signatures of one step differ, line by line. */
/** Where two answers differ, field by field: `path: target's → compare target's`. */
export function renderDivergence(d: Divergence): string {
  const [a, b] = d.signatures;
  const lines: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    // What a model noted of one target's answers (`broke: …`): a fact of that side alone.
    if (!a[i]?.includes(' | ') || !b[i]?.includes(' | ')) {
      if (a[i] !== undefined) lines.push(`     ${a[i]}   (target)`);
      if (b[i] !== undefined) lines.push(`     ${b[i]}   (compare target)`);
      continue;
    }
    const mine = (a[i] ?? '(no answer)').split(' | ');
    const theirs = (b[i] ?? '(no answer)').split(' | ');
    const [headA = '', headB = ''] = [mine[0], theirs[0]];
    lines.push(`     answer ${i + 1}:${headA === headB ? ` ${headA}` : ''}`);
    if (headA !== headB) lines.push(`       status and media type: ${headA} → ${headB}`);
    for (const field of mine.slice(1)) if (!theirs.includes(field)) lines.push(`       ${field}   (target only)`);
    for (const field of theirs.slice(1)) if (!mine.includes(field)) lines.push(`       ${field}   (compare target only)`);
  }
  return lines.join('\n');
}

export { describe as describeAnswer };
