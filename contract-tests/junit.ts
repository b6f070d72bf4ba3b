import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { printable } from './printable.js';
import { renderRuleFailures } from './report.js';
import type { ContractReport } from './runner.js';

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

/** JUnit XML for the CLI: one test case per rule (the vitest path uses vitest's own junit reporter). */
export function renderJunit(report: ContractReport): string {
  const cases = report.results.map((result) => {
    const open = `    <testcase classname="contract" name="${escapeXml(result.rule)}" time="${(result.durationMs / 1000).toFixed(3)}">`;
    if (result.state === 'pass') return `${open}</testcase>`;
    if (result.state === 'not run') return `${open}\n      <skipped message="${escapeXml(result.reason ?? 'not run')}"/>\n    </testcase>`;
    const message = `${result.rule}: ${result.failures.length + result.omitted} failure(s)`;
    return `${open}\n      <failure message="${escapeXml(message)}">${escapeXml(renderRuleFailures(result))}</failure>\n    </testcase>`;
  });
  const failures = report.results.filter((r) => r.state === 'fail').length;
  const skipped = report.results.filter((r) => r.state === 'not run').length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="policy-api-contract" tests="${report.results.length}" failures="${failures}" skipped="${skipped}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${escapeXml(`contract ${report.baseUrl}`)}" tests="${report.results.length}" failures="${failures}" skipped="${skipped}">`,
    ...cases,
    '    <system-out>' + escapeXml(`${report.table}\n\n${report.coverage}`) + '</system-out>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** A run that never started: one errored case saying why, so CI shows the reason, not a missing file. */
export function renderSetupErrorJunit(message: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites name="policy-api-contract" tests="1" failures="0" errors="1">',
    '  <testsuite name="contract set-up" tests="1" failures="0" errors="1">',
    `    <testcase classname="contract" name="set-up">\n      <error message="${escapeXml(message)}"/>\n    </testcase>`,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export function writeJunit(path: string, report: ContractReport): void {
  writeJunitText(path, renderJunit(report));
}

export function writeJunitText(path: string, xml: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, xml);
}
