// Reattach after an `output_interrupted` error event, against a fake gateway on 127.0.0.1 (no stack):
// the client's own logic. The stream breaks off with that event (the gateway stopped under it); the
// SDK follows the command through the reattach route from the last event id, so every byte comes once,
// then the exit. Any other error event still fails. (Against the real gateway: sdk.test.js.)
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, beforeEach, test } from 'node:test';
import { Commands, StreamError } from '@crownest/sdk';
import { Transport } from '../src/http.js';

const sse = (event, data, id) => `${id !== undefined ? `id:${id}\n` : ''}event:${event}\ndata:${JSON.stringify(data)}\n\n`;
const interrupted = sse('error', { error: { type: 'unavailable', code: 'output_interrupted', message: 'the output could not be read to its end', requestId: 'req_1' } });
const exit = (id) => sse('exit', { commandId: 'cmd_1', exitCode: 3, timedOut: false }, id);

let server;
let baseUrl;
/** What the fake gateway answers next, by route; and what it was asked. */
let script;
let asked;

before(async () => {
  server = createServer((req, res) => {
    asked.push({ method: req.method, url: req.url, lastEventId: req.headers['last-event-id'] });
    const route = `${req.method} ${req.url}`;
    if (route === 'GET /v1/sandboxes/sbx_1/commands/cmd_1') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'cmd_1', status: 'finished', exitCode: 3, stdout: 'kept', stderr: '', durationMs: 12 }));
      return;
    }
    const events = script[route]?.shift();
    if (!events) { res.writeHead(500); res.end('{}'); return; }
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-crownest-command-id': 'cmd_1' });
    for (const e of events) res.write(e);
    res.end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((r) => { server.closeAllConnections(); server.close(r); }));
beforeEach(() => { script = {}; asked = []; });

const commands = () => new Commands(new Transport({ apiKey: 'cn_test', baseUrl, backoffMs: 10 }), 'sbx_1');
const streamRoute = 'GET /v1/sandboxes/sbx_1/commands/cmd_1/stream';

test('a streamed run ended by output_interrupted is reattached from its last event id: every byte once, and the exit', async () => {
  script['POST /v1/sandboxes/sbx_1/commands'] = [[sse('stdout', { data: 'héllo ' }, '7.0'), sse('stderr', { data: 'warn\n' }, '7.5'), interrupted]];
  script[streamRoute] = [[sse('stdout', { data: 'world\n' }, '13.5'), exit('13.5')]];
  const out = [];
  const err = [];
  const r = await commands().run('cmd', { onStdout: (s) => out.push(s), onStderr: (s) => err.push(s) });
  assert.equal(r.stdout, 'héllo world\n');
  assert.equal(r.stderr, 'warn\n');
  assert.equal(out.join(''), 'héllo world\n');
  assert.equal(err.join(''), 'warn\n');
  assert.equal(r.exitCode, 3);
  assert.deepEqual(asked.filter((a) => a.url.endsWith('/stream')).map((a) => a.lastEventId), ['7.5']);
  assert.equal(asked.filter((a) => a.method === 'POST').length, 1, 'one run, never a second');
});

test('connect resumes after output_interrupted on the reattach route itself, and again after a dropped stream', async () => {
  script[streamRoute] = [
    [sse('stdout', { data: 'a' }, '1.0'), interrupted],
    [sse('stdout', { data: 'b' }, '2.0')], // ends without an exit: a dropped connection
    [sse('stdout', { data: 'c' }, '3.0'), exit('3.0')],
  ];
  const seen = [];
  const r = await commands().connect('cmd_1', { onStdout: (s) => seen.push(s) });
  assert.equal(seen.join(''), 'abc');
  assert.equal(r.stdout, 'abc');
  assert.equal(r.exitCode, 3);
  assert.deepEqual(asked.filter((a) => a.url.endsWith('/stream')).map((a) => a.lastEventId), [undefined, '1.0', '2.0']);
});

test('another error event still fails the stream, with its code', async () => {
  const failed = sse('error', { error: { type: 'internal', code: 'stream_failed', message: 'no', requestId: 'req_2' } });
  script['POST /v1/sandboxes/sbx_1/commands'] = [[sse('stdout', { data: 'x' }, '1.0'), failed]];
  const e = await commands().run('cmd', { onStdout: () => {} }).catch((x) => x);
  assert.ok(e instanceof StreamError, e);
  assert.equal(e.code, 'stream_failed');
  assert.equal(e.requestId, 'req_2');
  assert.equal(asked.filter((a) => a.url.endsWith('/stream')).length, 0, 'not reattached');
});

test('a reattach that keeps bringing nothing gives up with stream_lost', async () => {
  script[streamRoute] = Array.from({ length: 10 }, () => [interrupted]);
  const e = await commands().connect('cmd_1', { lastEventId: '5.0' }).catch((x) => x);
  assert.ok(e instanceof StreamError, e);
  assert.equal(e.code, 'stream_lost');
  assert.equal(asked.length, 6, 'the first attempt and 5 more');
});
