import type { ContractReport, RuleResult } from '../contract-report.js';
import { failureCount } from '../contract-report.js';
import { actualOf, excerpt } from './failure-text.js';
import { printable } from '../printable.js';
import { writeReportFile } from './write-report-file.js';
import { renderRuleFailures } from './console-report.js';

// Everything XML 1.0 allows in a document: the rest is shown as \uXXXX by `printable` first.
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Well-formed XML text or attribute value, whatever the target sent (newlines kept as `&#10;`). */
export const escapeXml = (text: string) =>
  printable(text)
    .replace(NOT_XML, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;');

/**
 * The one JUnit XML of every route (CLI, vitest, library): one test case per rule, named by its id,
 * its time, a not-run rule as <skipped/> (a waived one as <skipped message="waived: reason"/>), and a failure's message the first expected vs actual.
 */
export function renderJunit(report: ContractReport): string {
  const { mask } = report;
  const cases = report.results.map((result) => {
    const open = `    <testcase classname="contract" name="${escapeXml(result.rule)}" time="${(result.durationMs / 1000).toFixed(3)}">`;
    if (result.state === 'passed') return `${open}</testcase>`;
    if (result.state === 'skipped') return `${open}\n      <skipped message="${escapeXml(result.reason ?? 'not run')}"/>\n    </testcase>`;
    // Waived: skipped with the waivers' reasons, the failures still in the case's output.
    if (result.state === 'waived') {
      const reasons = [...new Set(result.failures.map((f) => f.waived ?? ''))].join('; ');
      return `${open}\n      <skipped message="${escapeXml(mask(`waived: ${reasons}`))}"/>\n      <system-out>${escapeXml(mask(renderRuleFailures(result)))}</system-out>\n    </testcase>`;
    }
    const body = `${countLine(result)}\n\n${renderRuleFailures(result)}`;
    return `${open}\n      <failure message="${escapeXml(mask(firstFailureMessage(result)))}" type="${escapeXml(result.rule)}">${escapeXml(mask(body))}</failure>\n    </testcase>`;
  });
  // A run stopped by its set-up (the target stopped answering) says so as an errored case, as CI shows it.
  if (report.setupProblem) cases.push(setupErrorCase(report.setupProblem));
  const errors = report.setupProblem ? 1 : 0;
  const tests = cases.length;
  const failures = report.results.filter((r) => r.state === 'failed').length;
  const skipped = report.results.filter((r) => r.state === 'skipped' || r.state === 'waived').length;
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="policy-api-contract" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${escapeXml(`contract ${report.baseUrl}`)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    ...cases,
    '    <system-out>' + escapeXml(`${report.table}\n\n${report.coverage}`) + '</system-out>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
  return mask(xml);
}

/** What a CI summary shows of a failed case: its first failure, expected vs actual, on one line. */
export function firstFailureMessage(result: RuleResult): string {
  const first = result.failures.find((f) => f.waived === undefined);
  if (!first) return `${result.rule}: ${failureCount(result)} failure(s)`;
  return `${first.operationId}: expected ${excerpt(first.expected, 300)} · actual ${excerpt(actualOf(first), 300)}`;
}

function countLine(result: RuleResult): string {
  const groups = result.failures.length;
  return `${result.rule}: ${failureCount(result)} failure(s) in ${groups} group(s) (alike = same rule, operation and schema pointer)`;
}

/** A run that never started: one errored case saying why, so CI shows the reason, not a missing file. */
export function renderSetupErrorJunit(message: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites name="policy-api-contract" tests="1" failures="0" errors="1">',
    '  <testsuite name="contract set-up" tests="1" failures="0" errors="1">',
    setupErrorCase(message),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

const setupErrorCase = (message: string) =>
  `    <testcase classname="contract" name="set-up">\n      <error message="${escapeXml(message)}"/>\n    </testcase>`;

export function writeJunit(path: string, report: ContractReport): void {
  writeJunitText(path, renderJunit(report));
}

export function writeJunitText(path: string, xml: string): void {
  writeReportFile(path, xml);
}
