// The SSE parser and event handling on their own (no stack): the stream route's `gap` events and ids
// are handled before a gateway serves them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Commands } from '@crownest/sdk';
import { serverSentEvents } from '../src/sse.js';

const body = (...chunks) => ReadableStream.from(chunks.map((c) => new TextEncoder().encode(c)));

test('events split across chunks, CRLF, comments and multi-line data', async () => {
  const events = [];
  for await (const e of serverSentEvents(body('id:0\r\nevent:std', 'out\r\ndata:{"data":"a"}\r\n\r\n: keep-alive\n\n', 'id: 1\nevent: exit\ndata: {"exitCode":\ndata: 0}\n\n'))) events.push(e);
  assert.deepEqual(events, [
    { event: 'stdout', data: '{"data":"a"}', id: '0' },
    { event: 'exit', data: '{"exitCode":\n0}', id: '1' },
  ]);
});

test('gap events reach onGap; the last id is kept for Last-Event-ID', async () => {
  const state = { stdout: '', stderr: '', lastEventId: undefined, exit: undefined };
  const gaps = [];
  await Commands.prototype.consume(body(
    'id:4\nevent:gap\ndata:{"stream":"stdout","bytes":1024}\n\n',
    'id:5\nevent:stdout\ndata:{"data":"tail"}\n\n',
    'id:6\nevent:exit\ndata:{"commandId":"cmd_x","exitCode":0,"timedOut":false}\n\n',
    'id:7\nevent:stdout\ndata:{"data":"after exit: ignored"}\n\n',
  ), state, { onGap: (g) => gaps.push(g) });
  assert.deepEqual(gaps, [{ stream: 'stdout', bytes: 1024 }]);
  assert.equal(state.stdout, 'tail');
  assert.equal(state.lastEventId, '6');
  assert.equal(state.exit.exitCode, 0);
});
