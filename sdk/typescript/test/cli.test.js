// The crownest CLI as a user runs it (a child process), against a real stack: verbs, --json, exit codes.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createCrowNestClient } from '@crownest/sdk';
import { hasRoute, stackEnv } from './stack.js';

const BIN = fileURLToPath(new URL('../bin/crownest.js', import.meta.url));
const env = stackEnv();
const home = mkdtempSync(join(tmpdir(), 'crownest-cli-'));
const client = createCrowNestClient();

/** Runs crownest; answers {code, stdout, stderr}. opts.env replaces the stack variables; opts.onSpawn(child). */
function crownest(args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, XDG_CONFIG_HOME: home, ...(opts.env ?? { CROWNEST_API_URL: env.url, CROWNEST_API_KEY: env.key }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    opts.onSpawn?.(child);
  });
}
const json = async (args) => {
  const r = await crownest([...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
};

let id;
before(async () => { id = (await json(['sandboxes', 'create', '--template', 'base', '--ttl-ms', '600000'])).id; });
after(async () => { await client.sandboxes.kill(id).catch(() => {}); });

describe('crownest', () => {
  test('usage errors exit 2, API errors exit 1 with the code', async () => {
    assert.equal((await crownest([])).code, 2);
    assert.equal((await crownest(['frobnicate'])).code, 2);
    const missing = await crownest(['sandboxes', 'get', 'sbx_nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /sandbox_not_found/);
    const asJson = await crownest(['sandboxes', 'get', 'sbx_nope', '--json']);
    assert.equal(JSON.parse(asJson.stdout).error.code, 'sandbox_not_found');
  });

  test('login checks the key, then stores URL and key with mode 600', async () => {
    const wrong = await crownest(['login', '--api-url', env.url, '--api-key', 'cn_live_wrong'], { env: {} });
    assert.equal(wrong.code, 1);
    const ok = await crownest(['login', '--api-url', env.url, '--api-key', env.key, '--json'], { env: {} });
    assert.equal(ok.code, 0, ok.stderr);
    const path = join(home, 'crownest', 'credentials');
    assert.equal(JSON.parse(ok.stdout).credentials, path);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.match(readFileSync(path, 'utf8'), new RegExp(`CROWNEST_API_KEY=${env.key}`));
    const viaFile = await crownest(['sandboxes', 'get', id], { env: {} });
    assert.equal(viaFile.code, 0, viaFile.stderr);
  });

  test('sandboxes list and get', async () => {
    assert.ok((await json(['sandboxes', 'list'])).some((s) => s.id === id));
    assert.equal((await json(['sandboxes', 'get', id])).status, 'running');
    assert.match((await crownest(['sandboxes', 'list'])).stdout, new RegExp(id));
  });

  test('exec streams and passes the exit code through', async () => {
    const r = await crownest(['exec', id, '--', 'sh', '-c', 'echo out; echo err >&2; exit 7']);
    assert.equal(r.code, 7);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
    const spaced = await crownest(['exec', id, '--', 'echo', 'a  b', "it's"]);
    assert.equal(spaced.stdout, "a  b it's\n");
    const j = await crownest(['exec', id, '--json', '--', 'echo', 'j']);
    assert.equal(JSON.parse(j.stdout).stdout, 'j\n');
  });

  test('exec cancels the command on Ctrl-C', async () => {
    const marker = `sleep 31 # ${Date.now()}`;
    let child;
    const done = crownest(['exec', id, '--', marker], { onSpawn: (c) => { child = c; } });
    let running;
    for (let i = 0; i < 100 && !running; i++) {
      await new Promise((r) => setTimeout(r, 200));
      running = (await client.request('GET', `/v1/sandboxes/${id}/commands`, { query: { limit: 50 } })).data
        .find((c) => c.cmd === marker);
    }
    assert.ok(running, 'the command started');
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGINT');
    const r = await done;
    assert.equal(r.code, 130, r.stderr);
    let record;
    for (let i = 0; i < 50 && record?.status !== 'finished'; i++) {
      record = await (await client.sandboxes.get(id)).commands.get(running.id);
      if (record.status !== 'finished') await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(record.status, 'finished', 'cancelled, well before its 31 s');
    assert.ok(record.cancelled || record.exitCode !== 0, JSON.stringify(record));
    assert.ok(record.durationMs < 25_000);
  });

  test('cp up and down with a progress bar; ls', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crownest-cp-'));
    const local = join(dir, 'up.bin');
    writeFileSync(local, Buffer.alloc(2 * 1024 * 1024, 3));
    const up = await crownest(['cp', local, `${id}:data/up.bin`, '--progress']);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stderr, /upload .*2\.0 MiB\/2\.0 MiB 100%/);
    const down = await crownest(['cp', `${id}:data/up.bin`, join(dir, 'down.bin'), '--progress']);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stderr, /download .*100%/);
    assert.ok(readFileSync(join(dir, 'down.bin')).equals(readFileSync(local)));
    assert.match((await crownest(['ls', id, 'data'])).stdout, /2097152\tup\.bin/);
    assert.equal((await json(['ls', id, 'data']))[0].name, 'up.bin');
    assert.equal((await crownest(['cp', local, join(dir, 'x')])).code, 2);
  });

  test('logs of a command, by sandbox and command or command alone; --follow', async () => {
    const ran = await (await client.sandboxes.get(id)).commands.run('echo logged');
    assert.equal((await crownest(['logs', id, ran.id])).stdout, 'logged\n');
    assert.equal((await crownest(['logs', ran.id])).stdout, 'logged\n');
    const bg = await (await client.sandboxes.get(id)).commands.run('sleep 1; echo later', { background: true });
    const f = await crownest(['logs', id, bg.id, '--follow']);
    assert.equal(f.code, 0, f.stderr);
    assert.equal(f.stdout, 'later\n');
  });

  test('preview prints the URL the API answers', async () => {
    const r = await crownest(['preview', id, '8000']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.trim(), /^https?:\/\/\S+$/);
    assert.equal((await json(['preview', id, '8000'])).port, 8000);
  });

  test('pause and resume', async () => {
    const s = await json(['sandboxes', 'create', '--ttl-ms', '300000']);
    try {
      const paused = await json(['sandboxes', 'pause', s.id]);
      assert.equal(paused.status, 'paused');
      const target = paused.snapshotId && (await hasRoute('GET', '/v1/snapshots/{id}')) ? paused.snapshotId : s.id;
      assert.equal((await json(['sandboxes', 'resume', target])).status, 'running');
    } finally {
      assert.equal((await crownest(['sandboxes', 'kill', s.id])).code, 0);
    }
    assert.equal((await json(['sandboxes', 'get', s.id])).status, 'killed');
  });

  test("the README's CLI example runs as written", async () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const block = /### CLI: `crownest`[\s\S]*?```bash\n([\s\S]*?)```/.exec(readme)[1];
    const dir = mkdtempSync(join(tmpdir(), 'crownest-readme-'));
    mkdirSync(join(dir, 'bin'));
    symlinkSync(BIN, join(dir, 'bin', 'crownest')); // what a global install puts on PATH
    const r = await new Promise((resolve) => execFile('bash', ['-c', block], {
      cwd: dir, env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, XDG_CONFIG_HOME: join(dir, 'config'), CROWNEST_API_URL: env.url, CROWNEST_API_KEY: env.key },
    }, (error, stdout, stderr) => resolve({ code: error?.code ?? 0, stdout, stderr })));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^42\nexit 3\n/m);
    assert.match(r.stdout, /hello\.txt/);
    assert.equal(readFileSync(join(dir, 'copy.txt'), 'utf8'), 'hello\n');
    assert.match(r.stdout, /^logged$/m);
    assert.match(r.stdout, /^killed sbx_/m);
  });

  test('templates list, or the route is not there yet', async (t) => {
    if (!(await hasRoute('GET', '/v1/templates'))) {
      const r = await crownest(['templates', 'list']);
      assert.equal(r.code, 1);
      t.skip('GET /v1/templates is not on this stack yet (issue 11)');
      return;
    }
    const list = await json(['templates', 'list']);
    assert.ok(list.some((x) => x.name === 'base'));
  });
});
