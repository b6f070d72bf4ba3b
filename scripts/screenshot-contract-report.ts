// `npx tsx scripts/screenshot-contract-report.ts`: docs/contract-report.png, the README's picture of
// the contract suite's HTML report (--html). The suite judges the self-tests' reference server with
// one fault (list `input` sent as a string: a schema error on every list, and a lifecycle that
// cannot see its update), then Chromium opens the report from file. CHROMIUM_PATH as in the browser test.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runContract } from '../contract-tests/index.js';
import { REFERENCE_PROFILE } from '../contract-tests/self-test/reference-data.js';
import { startReferenceServer } from '../contract-tests/self-test/reference-server.js';
import { launchChromium } from './docs-harness.js';
import { fromRoot } from './paths.js';

const OUT = fromRoot('docs/contract-report.png');
const TOKEN = 'screenshot-token';

const dir = mkdtempSync(join(tmpdir(), 'contract-report-shot-'));
const server = await startReferenceServer({ fault: 'list_input_is_string', token: TOKEN });
try {
  const htmlPath = join(dir, 'report.html');
  await runContract({ baseUrl: server.url, token: TOKEN, profile: REFERENCE_PROFILE, fuzzRuns: 0, htmlPath });
  const browser = await launchChromium({ width: 1280, height: 1500 });
  try {
    await browser.page.goto(pathToFileURL(htmlPath).href);
    mkdirSync(dirname(OUT), { recursive: true });
    await browser.page.screenshot({ path: OUT });
    console.log(`wrote ${OUT}`);
  } finally {
    await browser.close();
  }
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
