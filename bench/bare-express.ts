// The ceiling for an Express 5 app: the same answers as the mock, with nothing behind them (no
// spec, no validation, no store, no log). Reads parse the JSON body writes send and answer a fixed
// text; reads send fixed JSON read from files at start. With --app-classes <file> (the mock's built
// src/http/app-message-classes.js) it serves through the request and response classes the mock
// gives Node, to show what of the mock's lead over a stock Express app is that alone.
//   node bare-express.js --port N --list list.json --pods pods.json --jobs jobs.json --job-status job-status.json [--app-classes FILE]
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import express from 'express';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    list: { type: 'string' },
    pods: { type: 'string' },
    jobs: { type: 'string' },
    'job-status': { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    'app-classes': { type: 'string' },
  },
});
if (!values.port || !values.list || !values.pods || !values.jobs || !values['job-status'])
  throw new Error('usage: bare-express --port N --list FILE --pods FILE --jobs FILE --job-status FILE');
const read = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
const list = read(values.list);
const pods = read(values.pods);
const jobs = read(values.jobs);
const jobStatus = read(values['job-status']);

const app = express();
app.get('/v2/policy/list', (_req, res) => {
  res.json(list);
});
app.get('/v2/policy/:policy_id/pods', (_req, res) => {
  res.json(pods);
});
app.get('/v2/policy/:policy_id/jobs', (_req, res) => {
  res.json(jobs);
});
app.get('/v2/policy/:policy_id/job-status', (_req, res) => {
  res.json(jobStatus);
});
app.post('/v2/policy/create', express.json(), (_req, res) => {
  res.type('text/plain').send(randomUUID());
});
app.post('/v2/policy/update', express.json(), (req, res) => {
  res.type('text/plain').send(String((req.body as { id?: unknown }).id));
});
app.delete('/v2/policy/delete', express.json(), (req, res) => {
  res.type('text/plain').send(`Policy ${String((req.body as { id?: unknown }).id)} deleted`);
});
if (values['app-classes']) {
  type AppClasses = typeof import('../src/http/app-message-classes.js');
  const { appMessageClasses } = (await import(pathToFileURL(values['app-classes']).href)) as AppClasses;
  createServer(appMessageClasses(app), app).listen(Number(values.port), values.host);
} else {
  app.listen(Number(values.port), values.host);
}
