// The ceiling for an Express 5 app: the same three answers as the mock, with nothing behind them
// (no spec, no validation, no store, no log). Serves fixed JSON read from files at start.
//   node bare-express.js --port N --list list.json --pods pods.json
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import express from 'express';

const { values } = parseArgs({
  options: { port: { type: 'string' }, list: { type: 'string' }, pods: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' } },
});
if (!values.port || !values.list || !values.pods) throw new Error('usage: bare-express --port N --list FILE --pods FILE');
const list: unknown = JSON.parse(readFileSync(values.list, 'utf8'));
const pods: unknown = JSON.parse(readFileSync(values.pods, 'utf8'));

const app = express();
app.get('/v2/policy/list', (_req, res) => {
  res.json(list);
});
app.get('/v2/policy/:policy_id/pods', (_req, res) => {
  res.json(pods);
});
app.post('/v2/policy/create', express.json(), (_req, res) => {
  res.type('text/plain').send(randomUUID());
});
app.listen(Number(values.port), values.host);
