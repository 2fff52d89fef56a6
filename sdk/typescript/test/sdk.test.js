// The SDK against a real stack (CROWNEST_ENV_FILE): sandboxes, commands (blocking, streamed,
// background, reattach), files, previews, artifacts, pause/resume, TTL, errors, idempotency.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { ConflictError, createCrowNestClient, CrowNest, NotFoundError, AuthenticationError, BadRequestError } from '@crownest/sdk';
import { faultyProxy } from './faults.js';
import { hasRoute, stackEnv } from './stack.js';

const env = stackEnv();
const client = createCrowNestClient();
let sandbox;

before(async () => { sandbox = await client.sandboxes.create({ template: 'base', ttlMs: 600_000 }); });
after(async () => { await sandbox?.kill().catch(() => {}); });

describe('sandboxes', () => {
  test('create answers a running sandbox; get and list find it', async () => {
    assert.match(sandbox.id, /^sbx_/);
    assert.equal(sandbox.status, 'running');
    assert.equal((await client.sandboxes.get(sandbox.id)).id, sandbox.id);
    assert.ok((await client.sandboxes.list()).some((s) => s.id === sandbox.id));
  });

  test('new CrowNest({apiKey, baseUrl}) works without the environment', async () => {
    const c = new CrowNest({ apiKey: env.key, baseUrl: env.url });
    assert.equal((await c.sandboxes.get(sandbox.id)).template, 'base');
  });

  test('the same idempotency key creates one sandbox', async () => {
    const key = `sdk-test-${Date.now()}`;
    const a = await client.sandboxes.create({ template: 'base', ttlMs: 60_000, idempotencyKey: key });
    const b = await client.sandboxes.create({ template: 'base', ttlMs: 60_000, idempotencyKey: key });
    assert.equal(a.id, b.id);
    await a.kill();
  });

  test('errors carry status, code and requestId', async () => {
    const e = await client.sandboxes.get('sbx_doesnotexist').catch((x) => x);
    assert.ok(e instanceof NotFoundError, e);
    assert.equal(e.status, 404);
    assert.equal(e.code, 'sandbox_not_found');
    assert.match(e.requestId, /^req_/);
    const bad = await client.sandboxes.create({ template: 'no-such-template' }).catch((x) => x);
    assert.ok(bad instanceof BadRequestError, bad);
    const denied = await new CrowNest({ apiKey: 'cn_live_wrong', baseUrl: env.url }).sandboxes.list().catch((x) => x);
    assert.ok(denied instanceof AuthenticationError, denied);
    assert.equal(denied.status, 401);
  });

  test('setTimeout moves the deadline', async () => {
    const before = Date.parse(sandbox.expiresAt);
    await sandbox.setTimeout(900_000);
    assert.ok(Date.parse(sandbox.expiresAt) > before);
  });
});

describe('commands', () => {
  test('a blocking run answers exit code, output and duration', async () => {
    const r = await sandbox.commands.run('echo hello; echo oops >&2; exit 3');
    assert.equal(r.exitCode, 3);
    assert.equal(r.stdout, 'hello\n');
    assert.equal(r.stderr, 'oops\n');
    assert.ok(r.durationMs >= 0);
    assert.match(r.id, /^cmd_/);
    assert.deepEqual(r.artifacts, []);
  });

  test('cwd and env reach the command', async () => {
    const r = await sandbox.commands.run('pwd; echo $GREETING', { cwd: '/tmp', env: { GREETING: 'hi' } });
    assert.equal(r.stdout, '/tmp\nhi\n');
  });

  test('onStdout/onStderr stream the output as it comes', async () => {
    const out = [];
    const err = [];
    const r = await sandbox.commands.run('for i in 1 2 3; do echo $i; sleep 0.2; done; echo e >&2', {
      onStdout: (t) => out.push(t), onStderr: (t) => err.push(t),
    });
    assert.equal(out.join(''), '1\n2\n3\n');
    assert.ok(out.length >= 2, `chunks as they come: ${JSON.stringify(out)}`);
    assert.equal(err.join(''), 'e\n');
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout, '1\n2\n3\n');
  });

  test('collect makes artifacts; download gives their bytes', async () => {
    const r = await sandbox.commands.run('printf abc > out.txt', { collect: ['out.txt'] });
    assert.equal(r.artifacts.length, 1);
    assert.deepEqual(r.collectErrors, []);
    const listed = await sandbox.artifacts.list();
    assert.ok(listed.some((a) => a.id === r.artifacts[0].id));
    assert.equal(new TextDecoder().decode(await sandbox.artifacts.download(r.artifacts[0].id)), 'abc');
    assert.equal(await sandbox.artifacts.download(r.artifacts[0].id, { format: 'text' }), 'abc');
  });

  test('background: a handle to wait for or kill', async () => {
    const quick = await sandbox.commands.run('echo bg', { background: true });
    assert.match(quick.id, /^cmd_/);
    assert.equal((await quick.wait()).stdout, 'bg\n');
    const slow = await sandbox.commands.run('sleep 60', { background: true });
    await slow.kill();
    const r = await slow.wait();
    assert.notEqual(r.exitCode, 0);
    assert.ok(r.durationMs < 30_000);
  });

  test('list, get and cancel', async () => {
    const r = await sandbox.commands.run('echo listed');
    assert.ok((await sandbox.commands.list()).some((c) => c.id === r.id));
    assert.equal((await sandbox.commands.get(r.id)).stdout, 'listed\n');
  });

  test('connect replays a finished command and follows a running one', async (t) => {
    if (!(await hasRoute('GET', '/v1/sandboxes/{id}/commands/{cid}/stream'))) {
      t.skip('GET /v1/sandboxes/{id}/commands/{cid}/stream is not on this stack yet (issue 12 item 6)');
      return;
    }
    const done = await sandbox.commands.run('echo one; echo two');
    const seen = [];
    const r = await sandbox.commands.connect(done.id, { onStdout: (s) => seen.push(s) });
    assert.equal(seen.join(''), 'one\ntwo\n');
    assert.equal(r.exitCode, 0);
    const bg = await sandbox.commands.run('for i in 1 2 3; do echo $i; sleep 0.3; done', { background: true });
    const live = [];
    const followed = await sandbox.commands.connect(bg.id, { onStdout: (s) => live.push(s) });
    assert.equal(live.join(''), '1\n2\n3\n');
    assert.equal(followed.exitCode, 0);
  });

  test('a streamed run whose answer was lost is reattached, never run twice', async () => {
    // The proxy passes the first streamed POST to the gateway (the command starts) and drops the
    // connection before the answer; the SDK retries with the same Idempotency-Key, the gateway answers
    // 409 idempotent_stream_not_replayable, and the SDK follows the command that runs already.
    const faults = [{ kind: 'drop', method: 'POST', path: /\/commands$/, times: 1 }];
    const proxy = await faultyProxy(env.url, faults);
    try {
      const viaProxy = new CrowNest({ apiKey: env.key, baseUrl: proxy.url, backoffMs: 50 });
      const tag = `once-${Date.now()}`;
      const cmd = `sleep 1; echo ${tag}`;
      const seen = [];
      const r = await (await viaProxy.sandboxes.get(sandbox.id)).commands.run(cmd, { onStdout: (s) => seen.push(s) });
      assert.ok(faults[0].dropped, 'the first answer was dropped');
      assert.equal(r.exitCode, 0);
      assert.equal(r.stdout, `${tag}\n`);
      assert.equal(seen.join(''), r.stdout);
      const runs = (await sandbox.commands.list({ limit: 100 })).filter((c) => c.cmd === cmd);
      assert.equal(runs.length, 1, 'one run, not two');
    } finally { await proxy.close(); }
  });

  test('a streamed run that the gateway ends with output_interrupted is reattached: every byte once, and the exit', async () => {
    // The proxy passes the run's stream through its first stdout event and ends it with the error event a
    // gateway sends when it stops under a stream; the SDK follows the command through the reattach route
    // from that event's id.
    const faults = [{ kind: 'interrupt', method: 'POST', path: /\/commands$/, times: 1 }];
    const proxy = await faultyProxy(env.url, faults);
    try {
      const viaProxy = await new CrowNest({ apiKey: env.key, baseUrl: proxy.url, backoffMs: 50 }).sandboxes.get(sandbox.id);
      const cmd = `for i in 1 2 3 4 5; do echo "line $i"; sleep 0.3; done; echo done >&2; exit 4 # ${Date.now()}`;
      const seen = [];
      const r = await viaProxy.commands.run(cmd, { onStdout: (s) => seen.push(s), onStderr: () => {} });
      assert.ok(faults[0].interrupted, 'the stream was interrupted');
      const expected = [1, 2, 3, 4, 5].map((i) => `line ${i}\n`).join('');
      assert.equal(seen.join(''), expected);
      assert.equal(r.stdout, expected);
      assert.equal(r.stderr, 'done\n');
      assert.equal(r.exitCode, 4);
      assert.equal((await sandbox.commands.list({ limit: 100 })).filter((c) => c.cmd === cmd).length, 1, 'one run');
    } finally { await proxy.close(); }
  });

  test('429/503 are retried after Retry-After', async () => {
    const faults = [{ kind: '503', method: 'POST', path: /\/commands$/, times: 2, retryAfter: 1 }];
    const proxy = await faultyProxy(env.url, faults);
    try {
      const viaProxy = new CrowNest({ apiKey: env.key, baseUrl: proxy.url });
      const started = Date.now();
      const r = await (await viaProxy.sandboxes.get(sandbox.id)).commands.run('echo retried');
      assert.equal(r.stdout, 'retried\n');
      assert.equal(faults[0].seen, 2);
      assert.ok(Date.now() - started >= 2000, 'waited Retry-After twice');
      const refused = await new CrowNest({ apiKey: env.key, baseUrl: proxy.url, maxRetries: 0 }).sandboxes.get(sandbox.id)
        .then((s) => { faults.push({ kind: '503', method: 'GET', path: /./, times: 1 }); return s.refresh(); }).catch((e) => e);
      assert.equal(refused.status, 503);
      assert.equal(refused.code, 'no_capacity');
      assert.equal(refused.retryAfterMs, 1000);
    } finally { await proxy.close(); }
  });
});

describe('files', () => {
  test('write strings, bytes and streams; read them back as text, bytes and stream', async () => {
    assert.equal((await sandbox.files.write('dir/a.txt', 'hello')).size, 5);
    assert.equal(await sandbox.files.read('dir/a.txt'), 'hello');
    await sandbox.files.write('dir/b.bin', new Uint8Array([0, 1, 2, 255]));
    assert.deepEqual([...(await sandbox.files.read('dir/b.bin', { format: 'bytes' }))], [0, 1, 2, 255]);
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    await sandbox.files.write('dir/c.bin', Readable.from([big.subarray(0, 1 << 20), big.subarray(1 << 20)]));
    let n = 0;
    for await (const chunk of await sandbox.files.read('dir/c.bin', { format: 'stream' })) n += chunk.byteLength;
    assert.equal(n, big.length);
    const names = (await sandbox.files.list('dir')).map((e) => e.name).sort();
    assert.deepEqual(names, ['a.txt', 'b.bin', 'c.bin']);
  });

  test('mkdir, move, remove', async () => {
    await sandbox.files.mkdir('m/n');
    await sandbox.files.write('m/x.txt', 'x');
    await sandbox.files.move('m/x.txt', 'm/n/y.txt');
    assert.equal(await sandbox.files.read('m/n/y.txt'), 'x');
    const exists = await sandbox.files.move('m/n/y.txt', 'm/n/y.txt').catch((e) => e);
    assert.ok(exists instanceof ConflictError, exists);
    await sandbox.files.remove('m');
    assert.ok((await sandbox.files.read('m/n/y.txt').catch((e) => e)) instanceof NotFoundError);
  });

  test('signed upload and download URLs need no key', async () => {
    const up = await sandbox.files.uploadUrl('signed.txt');
    assert.equal((await fetch(up.url, { method: up.method, body: 'signed!' })).status < 300, true);
    const down = await sandbox.files.downloadUrl('signed.txt');
    assert.equal(await (await fetch(down.url)).text(), 'signed!');
  });
});

describe('previews', () => {
  test('create answers what the API answers; list, token, close', async () => {
    await sandbox.commands.run('cd /workspace && (nohup python3 -m http.server 8000 >/dev/null 2>&1 || busybox httpd -p 8000 || true) &');
    const p = await sandbox.previews.create({ port: 8000 });
    assert.equal(p.port, 8000);
    assert.match(p.url, /^https?:\/\//);
    assert.ok((await sandbox.previews.list()).some((x) => x.id === p.id));
    const t = await sandbox.previews.token(p.id);
    assert.ok(t.url);
    await sandbox.previews.close(p.id);
    assert.equal((await sandbox.previews.get(p.id)).status, 'closed');
  });
});

describe('pause, resume, fork', () => {
  test('pause answers the snapshot id; resume and fork use it', async (t) => {
    const s = await client.sandboxes.create({ template: 'base', ttlMs: 300_000 });
    try {
      await s.files.write('kept.txt', 'kept');
      const snapshotId = await s.pause();
      assert.equal(s.status, 'paused');
      if (!(await hasRoute('GET', '/v1/snapshots/{id}'))) {
        await s.resume();
        assert.equal(s.status, 'running');
        t.skip('no snapshot routes on this stack yet (issue 11): resumed in place; resume(snapshotId) and fork untested');
        return;
      }
      assert.match(snapshotId, /^snp_|^snap_|^[a-z]+_/);
      const resumed = await client.sandboxes.resume(snapshotId);
      assert.equal(resumed.id, s.id);
      assert.equal(await resumed.files.read('kept.txt'), 'kept');
      const again = await resumed.pause();
      const fork = await client.sandboxes.fork(again, { ttlMs: 120_000 });
      try {
        assert.notEqual(fork.id, s.id);
        assert.equal(await fork.files.read('kept.txt'), 'kept');
      } finally { await fork.kill(); }
    } finally { await s.kill().catch(() => {}); }
  });
});
