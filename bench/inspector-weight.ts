// `npm run bench:inspector -- [--pods 20000]`: the inspector's page weight (bytes
// transferred, as Chromium counts them) and load time (navigation to the cluster view's first
// render: its namespaces drawn) and the page's height at a large cluster. Three fresh loads; the median time is printed.
import { parseArgs } from 'node:util';
import { launchChromium, startDocsMock } from '../scripts/docs-harness.js';

const { values } = parseArgs({ options: { pods: { type: 'string', default: '20000' }, runs: { type: 'string', default: '3' } } });
const mock = await startDocsMock({ sizes: { pods: Number(values.pods) } });
try {
  const results: { bytes: number; ms: number; requests: number; height: number }[] = [];
  for (let run = 0; run < Number(values.runs); run++) {
    const browser = await launchChromium({ width: 1360, height: 900 });
    try {
      const cdp = await browser.context.newCDPSession(browser.page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      let bytes = 0;
      let requests = 0;
      cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
        bytes += e.encodedDataLength;
        requests++;
      });
      const started = performance.now();
      await browser.page.goto(`${mock.url}/__admin/ui/#cluster`);
      await browser.page.locator('#cluster-tree .namespace').first().waitFor({ timeout: 120_000 });
      const ms = performance.now() - started;
      await browser.page.waitForTimeout(1500); // the polls after the first render are not the load
      const height = await browser.page.evaluate<number>('document.documentElement.scrollHeight');
      results.push({ bytes, ms, requests, height });
    } finally {
      await browser.close();
    }
  }
  const times = results.map((r) => r.ms).sort((a, b) => a - b);
  console.log(JSON.stringify(results));
  console.log(
    `--pods ${values.pods}: ${(results[0]!.bytes / 1024).toFixed(0)} KiB transferred (first load, ${results[0]!.requests} requests), first render of the cluster view median ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms, page ${results[0]!.height} px tall`,
  );
} finally {
  await mock.close();
}
