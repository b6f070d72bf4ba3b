import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { RequestHandler } from 'express';
import { packageFile } from '../../spec/package-file.js';

/**
 * The inspector's files, read once from `inspector/` at the package root (found from src/ and from
 * dist/src/ alike; the package lists `inspector/` in its files). Plain HTML, CSS and JS, no CDN: it
 * works offline.
 */
const ROOT = pathToFileURL(`${packageFile('inspector')}/`);
const FILES: Record<string, string> = { '/': 'index.html', '/app.js': 'app.js', '/style.css': 'style.css' };
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};
// Only this origin: the page can reach nothing else, even if a bug tried.
const POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

/** `needsToken`: told to the page (`config.json`), so it asks for the token before its first call rather than after a 401. */
export function inspectorPage(needsToken: boolean): { handler: RequestHandler; paths: string[] } {
  const files = new Map(
    Object.entries(FILES).map(([path, file]) => [path, { type: TYPES[file.split('.').pop()!]!, bytes: readFileSync(new URL(file, ROOT)) }]),
  );
  files.set('/config.json', { type: 'application/json; charset=utf-8', bytes: Buffer.from(JSON.stringify({ needsToken })) });
  const handler: RequestHandler = (req, res, next) => {
    // `/__admin/ui` → `/__admin/ui/`, where the page's relative URLs resolve.
    if (req.originalUrl.split('?')[0] === '/__admin/ui') return res.redirect(301, '/__admin/ui/');
    const file = req.method === 'GET' || req.method === 'HEAD' ? files.get(req.path) : undefined;
    if (!file) return next();
    res.set({ 'Content-Type': file.type, 'Cache-Control': 'no-cache', 'Content-Security-Policy': POLICY }).send(file.bytes);
  };
  return { handler, paths: [...files.keys()].map((p) => `/ui${p}`) };
}
