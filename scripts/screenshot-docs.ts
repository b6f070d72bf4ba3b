// `npx tsx scripts/screenshot-docs.ts`: docs/docs-page.png, the README's picture of /docs.
// The mock starts in-process on a free loopback port (default seed), Chromium opens /docs,
// authorizes and runs GET /v2/policy/list, so the page shows a real answer. CHROMIUM_PATH as in
// the browser test.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { authorize, executeList, launchChromium, startDocsMock } from './docs-harness.js';
import { fromRoot } from './paths.js';

const OUT = fromRoot('docs/docs-page.png');

const mock = await startDocsMock();
try {
  const browser = await launchChromium({ width: 1280, height: 900 });
  try {
    const { page } = browser;
    await page.goto(`${mock.url}/docs`);
    await authorize(page, 'dev-token');
    await executeList(page);
    // From the "Policy" heading down: the first operations, then the list call and its answer.
    await page
      .locator('.opblock-tag-section')
      .first()
      .evaluate((el: { scrollIntoView(options: { block: 'start' }): void }) => el.scrollIntoView({ block: 'start' }));
    mkdirSync(dirname(OUT), { recursive: true });
    await page.screenshot({ path: OUT });
    console.log(`wrote ${OUT}`);
  } finally {
    await browser.close();
  }
} finally {
  await mock.close();
}
