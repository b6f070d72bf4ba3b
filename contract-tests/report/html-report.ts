import { describeBasis } from '../basis.js';
import type { Exchange } from '../client.js';
import { failureCount, type ContractReport, type RuleResult } from '../contract-report.js';
import { schemaPointerOf, type Failure } from '../failure.js';
import { authNote } from './failure-text.js';
import { lineDiff } from './line-diff.js';
import { printable } from '../printable.js';
import { writeReportFile } from './write-report-file.js';
import { hasFailures, unexplainedIds, waivedNote, waiverWarnings, workDone } from './console-report.js';
import { STATE_WORD, type RuleState } from '../rule-state.js';

/**
 * Everything in the page that is not our own markup goes through here: the target's answers are
 * untrusted, so no text of theirs can open a tag, an attribute or an entity. Unsafe characters
 * are shown as `\u001b` first, as in every other report.
 */
export const escapeHtml = (text: string) =>
  printable(text).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

/** Bodies longer than this are cut in the page (the curl line replays the whole request). */
const BODY_SHOWN = 4000;

// No script, no external anything: the CSP says so to the browser too, in case escaping ever failed.
const HEAD = (title: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>`;

const STYLE = `
:root { color-scheme: light; --pass: #1a7f37; --fail: #cf222e; --skip: #6e7781; --line: #d0d7de; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; padding: 24px; max-width: 1200px; color: #1f2328; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; } h3 { font-size: 14px; margin: 0 0 8px; }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 8px; margin: 4px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.verdict { display: inline-block; padding: 6px 14px; border-radius: 6px; color: #fff; font-weight: 700; font-size: 18px; letter-spacing: .02em; }
.verdict.conforms { background: var(--pass); } .verdict.fails { background: var(--fail); } .verdict.incomplete { background: #9a6700; }
.facts { color: #57606a; margin: 8px 0 0; } .facts span + span::before { content: " · "; }
table.matrix { border-collapse: collapse; margin: 8px 0; }
.matrix th, .matrix td { border: 1px solid var(--line); padding: 4px 8px; text-align: center; }
.matrix th.rule, .matrix td.rule { text-align: left; max-width: 340px; } .matrix td.rule small { display: block; color: #57606a; }
.matrix thead th { background: var(--soft); font-weight: 600; }
.cell-pass { color: var(--pass); } .cell-fail { color: #fff; background: var(--fail); font-weight: 700; } .cell-fail a { color: #fff; }
.cell-skip { color: var(--skip); }
.cell-waived { color: var(--fail); font-style: italic; } .cell-waived a { color: inherit; }
.failure.waived { opacity: 0.8; border-style: dashed; }
.failure { border: 1px solid var(--line); border-left: 4px solid var(--fail); border-radius: 6px; padding: 12px; margin: 12px 0; break-inside: avoid; }
.count { display: inline-block; background: #ffebe9; color: var(--fail); border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600; margin-left: 6px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0; } dt { color: #57606a; } dd { margin: 0; min-width: 0; }
.diff .del { background: #ffebe9; display: block; } .diff .ins { background: #dafbe1; display: block; } .diff .same { display: block; }
table.schema { border-collapse: collapse; } .schema td { border: 1px solid var(--line); padding: 2px 6px; }
.coverage, .cleanup { color: #57606a; }
pre.body { max-height: 26em; overflow: auto; }
@media print { body { padding: 0; max-width: none; } pre.body { max-height: none; } .cell-fail, .verdict { print-color-adjust: exact; -webkit-print-color-adjust: exact; } }
`;

const CELL: Record<RuleState, { css: string; text: string }> = {
  passed: { css: 'cell-pass', text: 'pass' },
  failed: { css: 'cell-fail', text: 'FAIL' },
  skipped: { css: 'cell-skip', text: '–' },
  waived: { css: 'cell-waived', text: 'waived' },
};

const anchor = (rule: string) => `rule-${rule.replace(/[^a-z0-9_-]/gi, '_')}`;

/** The whole report as one self-contained HTML page: verdict, rules × operations, every failure group. */
export function renderHtmlReport(report: ContractReport): string {
  const verdict = report.conforms
    ? { css: 'conforms', text: 'CONFORMS' }
    : report.setupProblem
      ? { css: 'incomplete', text: 'SET-UP ERROR' }
      : report.failedRules.length > 0
        ? { css: 'fails', text: 'DOES NOT CONFORM' }
        : { css: 'incomplete', text: 'INCOMPLETE' };
  const { cleanup } = report;
  const facts = [
    report.baseUrl,
    `run ${report.runId}`,
    `seed ${report.seed}`,
    `fuzz runs ${report.fuzzRuns}`,
    `${report.exchanges} requests in ${(report.durationMs / 1000).toFixed(1)} s`,
    `cleaned up ${cleanup.deleted} policies`,
    waivedNote(report),
  ].filter(Boolean);
  const failed = report.results.filter(hasFailures);
  const page = [
    HEAD(`Policy API contract: ${verdict.text} · ${report.baseUrl}`),
    `<header><h1>Policy API contract</h1><div id="verdict" class="verdict ${verdict.css}">${verdict.text}</div>`,
    report.failedRules.length > 0
      ? ` <span>breaks ${report.failedRules.map((r) => `<a href="#${anchor(r)}">${escapeHtml(r)}</a>`).join(', ')}</span>`
      : '',
    report.stoppedBecause ? `<p>Stopped early: ${escapeHtml(report.stoppedBecause)}</p>` : '',
    `<p class="facts">${facts.map((f) => `<span>${escapeHtml(f)}</span>`).join('')}</p></header>`,
    renderMatrix(report),
    `<p class="coverage">${escapeHtml(report.coverage)}</p>`,
    renderCleanup(cleanup),
    renderWaiverWarnings(report),
    failed.length > 0 ? '<h2>Failures</h2>' : '',
    ...failed.map((result) => renderRuleSection(result, report.mask)),
    '</body>\n</html>\n',
  ].join('\n');
  return report.mask(page);
}

/** Masks the run's secrets: applied to a target's text after each transformation, before escaping. */
type Mask = (text: string) => string;

function renderMatrix(report: ContractReport): string {
  const results = new Map(report.results.map((r) => [r.rule as string, r]));
  const head = `<tr><th class="rule">rule</th><th>verdict</th>${report.matrix.operations
    .map((op) => `<th title="${escapeHtml(op.operationId)}">${escapeHtml(op.name)}</th>`)
    .join('')}</tr>`;
  const rows = report.matrix.rows.map((row) => {
    const result = results.get(row.rule);
    const note = result?.state === 'skipped' ? `skipped: ${result.reason ?? 'not run'}` : result ? workDone(result) : 'skipped';
    const cell = (state: RuleState, label: string, verdict = false) => {
      const { css, text: mark } = CELL[state];
      const text = verdict && state === 'skipped' ? 'skipped' : mark;
      const shown = state === 'failed' || state === 'waived' ? `<a href="#${anchor(row.rule)}">${text}</a>` : text;
      return `<td class="${css}" data-state="${state}" title="${escapeHtml(label)}">${shown}</td>`;
    };
    return `<tr data-rule="${escapeHtml(row.rule)}"><td class="rule"><code>${escapeHtml(row.rule)}</code><small>${escapeHtml(note)}</small></td>${cell(
      row.verdict,
      `${row.rule}: ${STATE_WORD[row.verdict]}`,
      true,
    )}${row.cells.map((state, i) => cell(state, `${row.rule} × ${report.matrix.operations[i]?.operationId ?? ''}`)).join('')}</tr>`;
  });
  return `<h2>Rules × operations</h2>\n<table class="matrix" id="matrix"><thead>${head}</thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function renderWaiverWarnings(report: ContractReport): string {
  const lines = waiverWarnings(report.waivers ?? []);
  return lines.length > 0 ? `<ul class="waiver-warnings">${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : '';
}

function renderCleanup(cleanup: ContractReport['cleanup']): string {
  const parts = [`Clean-up: deleted ${cleanup.deleted} policies the run created.`];
  if (cleanup.leftover.length) parts.push(`Left behind: ${cleanup.leftover.join(', ')}.`);
  if (cleanup.unexplained.length)
    parts.push(`Appeared during the run without a successful create (not deleted): ${unexplainedIds(cleanup)}.`);
  return `<p class="cleanup">${escapeHtml(parts.join(' '))}</p>`;
}

function renderRuleSection(result: RuleResult, mask: Mask): string {
  const groups = result.failures.map((f) => renderFailureGroup(f, mask)).join('\n');
  const omitted = result.omitted > 0 ? `<p>… and ${result.omitted} more failure(s) of ${escapeHtml(result.rule)} in other groups.</p>` : '';
  return `<section class="rule" id="${anchor(result.rule)}"><h2><code>${escapeHtml(result.rule)}</code>: ${failureCount(result)} failure(s) in ${result.failures.length} group(s)${result.state === 'waived' ? ', all waived' : ''}</h2>\n${groups}${omitted}</section>`;
}

function renderFailureGroup(failure: Failure, mask: Mask): string {
  const pre = (text: string) => preCut(mask(text));
  const repeats = failure.repeats ?? 1;
  const pointer = schemaPointerOf(failure);
  const count =
    repeats > 1 ? `<span class="count">${repeats}× alike${pointer ? ` · schema ${escapeHtml(pointer)}` : ''} · one shown</span>` : '';
  const rows: [string, string][] = [];
  if (failure.phase && failure.phase !== failure.rule) rows.push(['seen while', escapeHtml(failure.phase)]);
  const ex = failure.exchange;
  if (ex) {
    rows.push(['request', `<code>${escapeHtml(`${ex.request.method} ${ex.request.url}`)}</code>${escapeHtml(authNote(ex))}`]);
    if (ex.request.body !== undefined) {
      rows.push([
        `request body`,
        `<small>${escapeHtml(ex.request.headers['Content-Type'] ?? 'no content type')}</small>${pre(pretty(ex.request.body))}`,
      ]);
    }
  }
  rows.push(['expected', escapeHtml(failure.expected)]);
  rows.push(['basis', escapeHtml(describeBasis(failure.basis))]);
  if (ex) rows.push(['actual', escapeHtml(responseLine(ex))]);
  if (ex && ex.response.status !== 0) {
    const { text, textLength } = ex.response;
    rows.push(['response body', text === '' ? '(empty)' : preCut(mask(pretty(text)), textLength)]);
  }
  if (failure.actual) rows.push(['found', escapeHtml(failure.actual)]);
  if (failure.bodies) rows.push(['diff', renderDiff(mask(failure.bodies.expected), mask(failure.bodies.actual))]);
  if (failure.schemaErrors?.length) {
    const errors = failure.schemaErrors.map(
      (e) => `<tr><td><code>${escapeHtml(e.pointer)}</code></td><td>${escapeHtml(e.message)}</td></tr>`,
    );
    rows.push(['schema', `<table class="schema">${errors.join('')}</table>`]);
  }
  if (ex) rows.push(['reproduce', `<pre class="curl">${escapeHtml(ex.curl)}</pre>`]);
  if (failure.alike?.length)
    rows.push(['also in this group', `<ul>${failure.alike.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul>`]);
  const dl = rows.map(([name, value]) => `<dt>${name}</dt><dd>${value}</dd>`).join('');
  if (failure.waived !== undefined) rows.unshift(['waived', `${escapeHtml(failure.waived)} (does not fail the run)`]);
  return `<article class="failure${failure.waived !== undefined ? ' waived' : ''}"${failure.waived !== undefined ? ' data-waived="true"' : ''}><h3><code>${escapeHtml(failure.rule)}</code> · <code>${escapeHtml(failure.operationId)}</code>${count}</h3><dl>${dl}</dl></article>`;
}

/** Expected (−) against actual (+), line by line; the two texts side by side when too long to diff. */
function renderDiff(expected: string, actual: string): string {
  const lines = lineDiff(expected, actual);
  if (!lines) return `expected${preCut(expected)}actual${preCut(actual)}`;
  const css = { ' ': 'same', '-': 'del', '+': 'ins' } as const;
  const body = lines.map((l) => `<span class="${css[l.op]}">${l.op === ' ' ? ' ' : l.op} ${escapeHtml(l.text)}</span>`).join('');
  return `<pre class="diff"><span class="del">- expected</span><span class="ins">+ actual</span>${body}</pre>`;
}

/** Cut after masking: a cut could split a secret in two halves that no mask recognises. */
const preCut = (text: string, whole = text.length) =>
  `<pre>${escapeHtml(text.length > BODY_SHOWN || whole > text.length ? `${text.slice(0, BODY_SHOWN)}… (${whole} chars)` : text)}</pre>`;

/** JSON indented for reading, anything else as is. It decodes escapes: the caller masks what it returns. */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function responseLine(ex: Exchange): string {
  const r = ex.response;
  if (r.status === 0) return `no response (${r.error ?? 'unknown error'})`;
  return `${r.status}, content type ${r.contentTypeHeader || '(none)'}${r.error ? ` · ${r.error}` : ''}`;
}

/** A run that never started: the page says why, so a CI artifact is never missing or blank. */
export function renderSetupErrorHtml(message: string, baseUrl: string): string {
  return [
    HEAD('Policy API contract: SET-UP ERROR'),
    '<header><h1>Policy API contract</h1><div id="verdict" class="verdict incomplete">SET-UP ERROR</div>',
    `<p class="facts"><span>${escapeHtml(baseUrl || '(no base URL)')}</span></p></header>`,
    `<pre>${escapeHtml(message)}</pre>`,
    '</body>\n</html>\n',
  ].join('\n');
}

export function writeHtml(path: string, html: string): void {
  writeReportFile(path, html);
}
