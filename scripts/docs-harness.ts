import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createApp, type AppOptions } from '../src/app.js';

// Shared by the browser test and scripts/screenshot-docs.ts: the real mock on a free loopback
// port, Debian's Chromium, and the clicks that make one call from the docs page.

/** Debian's `chromium` package; CHROMIUM_PATH for another install (macOS, a snap, Chrome). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, and quiet: with no internet, background services flood refused connections. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface DocsMock {
  url: string;
  app: Express;
  close(): Promise<void>;
}

/** The mock as `createApp` builds it (it serves /docs and /openapi.json itself). */
export async function startDocsMock(options: AppOptions = {}): Promise<DocsMock> {
  const app = await createApp(options);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface Chromium {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * Chromium with a fresh profile in a temp dir (a persistent context: Playwright refuses a
 * --user-data-dir argument and would otherwise pick and delete its own dir).
 */
export async function launchChromium(viewport = { width: 1280, height: 900 }): Promise<Chromium> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'docs-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      // Chromium also writes crash reports and a dconf cache under $HOME: keep those in the temp dir too.
      env: { ...process.env, XDG_CONFIG_HOME: join(userDataDir, 'xdg-config'), XDG_CACHE_HOME: join(userDataDir, 'xdg-cache') },
      viewport,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return {
      context,
      page,
      async close() {
        await context.close();
        rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

/** The operation block of Swagger UI for `METHOD path`. */
export const operation = (page: Page, method: string, path: string) =>
  page.locator(`.opblock-${method.toLowerCase()}`).filter({
    has: page.locator('.opblock-summary-path', { hasText: new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }),
  });

/** Authorize button → a token for every bearer scheme of the spec → Authorize → Close. */
export async function authorize(page: Page, token: string): Promise<void> {
  await page.locator('.auth-wrapper .authorize').click();
  const dialog = page.locator('.dialog-ux .modal-ux');
  const inputs = dialog.locator('input[type=text], input[type=password]');
  for (const input of await inputs.all()) await input.fill(token);
  // One Authorize button per scheme (each its own form); after a click it becomes Logout.
  const buttons = dialog.locator('button.modal-btn.auth.authorize');
  const schemes = await buttons.count();
  for (let i = 0; i < schemes; i++) await buttons.first().click();
  await dialog.locator('button.close-modal').click();
  await dialog.waitFor({ state: 'detached' });
}

/** Expands `GET /v2/policy/list`, then Try it out → Execute; resolves when the response is shown. */
export const executeList = (page: Page): Promise<void> => execute(page, 'GET', '/v2/policy/list');

/** Expands an operation, then Try it out → Execute with what the page fills in; resolves when the response is shown. Idempotent: an open block or a try-out already on is left so. */
export async function execute(page: Page, method: string, path: string): Promise<void> {
  const block = operation(page, method, path);
  if (!(await block.evaluate((el: { classList: { contains(name: string): boolean } }) => el.classList.contains('is-open'))))
    await block.locator('.opblock-summary-control').click();
  const tryOut = block.locator('button.try-out__btn');
  if ((await tryOut.innerText()).trim() === 'Try it out') await tryOut.click();
  const responses = block.locator('.live-responses-table tr.response');
  const before = await responses.count();
  await block.locator('button.execute').click();
  if (before > 0) await block.locator('.live-responses-table .response-col_status').first().waitFor();
  await responses.first().waitFor();
}
