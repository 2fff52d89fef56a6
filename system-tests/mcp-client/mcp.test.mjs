// The gateway's MCP endpoint (/v1/mcp) driven by the official MCP TypeScript client, against a running
// stack: CROWNEST_ENV_FILE names its env file (CROWNEST_API_URL, CROWNEST_API_KEY, CROWNEST_ADMIN_TOKEN).
// Run: cd system-tests/mcp-client && npm ci && CROWNEST_ENV_FILE=... node --test
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { fileURLToPath } from 'node:url';

const env = Object.fromEntries(
  readFileSync(process.env.CROWNEST_ENV_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.includes('='))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);
const API = env.CROWNEST_API_URL;
const TOOLS = [
  'create_sandbox', 'run_shell', 'run_code', 'write_file', 'read_file', 'list_files',
  'pause_sandbox', 'resume_sandbox', 'terminate_sandbox', 'create_preview',
];

/** A connected client; headers carry the key (Authorization: Bearer by default, as MCP clients send it). */
async function connect(headers = { authorization: `Bearer ${env.CROWNEST_API_KEY}` }) {
  const client = new Client({ name: 'crownest-mcp-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${API}/v1/mcp`), { requestInit: { headers } }));
  return client;
}

/** Calls a tool that must succeed; answers its structured content, checked against its text. */
async function call(client, name, args) {
  const result = await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 });
  assert.notEqual(result.isError, true, `${name} failed: ${result.content?.[0]?.text}`);
  assert.deepEqual(JSON.parse(result.content[0].text), result.structuredContent);
  return result.structuredContent;
}

/** Calls a tool that must fail as a tool error; answers the API's error it carries. */
async function fails(client, name, args) {
  const result = await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 });
  assert.equal(result.isError, true, `${name} should have failed: ${result.content?.[0]?.text}`);
  assert.deepEqual(JSON.parse(result.content[0].text), result.structuredContent);
  return result.structuredContent.error;
}

async function api(method, path, body, headers = { 'x-api-key': env.CROWNEST_API_KEY }) {
  const response = await fetch(`${API}${path}`, {
    method,
    headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

let client;
const sandboxes = [];

before(async () => {
  client = await connect();
});

after(async () => {
  for (const id of sandboxes) {
    await api('DELETE', `/v1/sandboxes/${id}`);
  }
  await client?.close();
});

async function sandbox(template) {
  const created = await call(client, 'create_sandbox', { template, ttl_ms: 300_000 });
  sandboxes.push(created.sandbox_id);
  return created;
}

test('initialize names the server; tools/list offers the ten tools', async () => {
  assert.equal(client.getServerVersion().name, 'crownest');
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), [...TOOLS].sort());
  const runShell = tools.find((t) => t.name === 'run_shell');
  assert.deepEqual(runShell.inputSchema.required, ['sandbox_id', 'command']);
});

test('the OpenAPI document lists /v1/mcp with each tool route and scope, the same as the routes say', async () => {
  const { body: doc } = await api('GET', '/v1/openapi.json');
  const mcp = doc.paths['/v1/mcp'].post;
  assert.ok(mcp['x-required-scope']);
  assert.deepEqual(mcp['x-mcp-tools'].map((t) => t.tool).sort(), [...TOOLS].sort());
  for (const tool of mcp['x-mcp-tools']) {
    const route = doc.paths[tool.path]?.[tool.method.toLowerCase()];
    assert.ok(route, `${tool.tool}: no route ${tool.method} ${tool.path}`);
    assert.equal(route['x-required-scope'], tool.scope, tool.tool);
  }
});

test('a sandbox through MCP: shell, bash code, files, preview, pause and resume, terminate', async () => {
  const created = await sandbox('base');
  assert.match(created.sandbox_id, /^sbx_/);
  assert.equal(created.status, 'running');
  const id = created.sandbox_id;

  const hello = await call(client, 'run_shell', { sandbox_id: id, command: 'echo hello; echo oops >&2; exit 3' });
  assert.equal(hello.stdout, 'hello\n');
  assert.equal(hello.stderr, 'oops\n');
  assert.equal(hello.exit_code, 3);
  assert.equal(hello.sandbox_id, id);
  assert.match(hello.command_id, /^cmd_/);

  const bash = await call(client, 'run_code', { sandbox_id: id, language: 'bash', code: 'x=$((6*7))\necho "b:$x"\n' });
  assert.equal(bash.stdout, 'b:42\n');
  assert.equal(bash.exit_code, 0);

  const written = await call(client, 'write_file', { sandbox_id: id, path: 'notes/a.txt', content: 'héllo\nworld\n' });
  assert.equal(written.path, '/workspace/notes/a.txt');
  const read = await call(client, 'read_file', { sandbox_id: id, path: 'notes/a.txt' });
  assert.equal(read.content, 'héllo\nworld\n');
  assert.equal(read.truncated, false);
  const listed = await call(client, 'list_files', { sandbox_id: id, path: 'notes' });
  assert.deepEqual(listed.entries.map((e) => e.name), ['a.txt']);
  const seen = await call(client, 'run_shell', { sandbox_id: id, command: 'cat notes/a.txt' });
  assert.equal(seen.stdout, 'héllo\nworld\n');

  const preview = await call(client, 'create_preview', { sandbox_id: id, port: 8000 });
  assert.equal(preview.sandbox_id, id);
  assert.equal(preview.port, 8000);
  assert.match(preview.preview_id, /^prv_/);
  assert.ok(preview.url);

  const paused = await call(client, 'pause_sandbox', { sandbox_id: id });
  assert.equal(paused.sandbox_id, id);
  assert.equal(paused.status, 'paused');
  const onPaused = await fails(client, 'run_shell', { sandbox_id: id, command: 'true' });
  assert.equal(onPaused.code, 'sandbox_paused');
  const resumed = await call(client, 'resume_sandbox', { sandbox_id: id });
  assert.equal(resumed.status, 'running');
  const again = await call(client, 'read_file', { sandbox_id: id, path: 'notes/a.txt' });
  assert.equal(again.content, 'héllo\nworld\n');

  const killed = await call(client, 'terminate_sandbox', { sandbox_id: id });
  assert.equal(killed.sandbox_id, id);
  const gone = await fails(client, 'run_shell', { sandbox_id: id, command: 'true' });
  assert.equal(gone.status, 409);
});

test('run_code in python and node, each in its template', async () => {
  const python = await sandbox('python');
  const py = await call(client, 'run_code', {
    sandbox_id: python.sandbox_id,
    language: 'python',
    code: 'import sys\nprint(sum(range(10)))\nsys.exit(4)\n',
  });
  assert.equal(py.stdout, '45\n');
  assert.equal(py.exit_code, 4);
  const node = await sandbox('node');
  const js = await call(client, 'run_code', {
    sandbox_id: node.sandbox_id,
    language: 'node',
    code: 'console.log([1, 2, 3].map((x) => x * 2).join(","))',
  });
  assert.equal(js.stdout, '2,4,6\n');
  assert.equal(js.exit_code, 0);
});

test('a key without a scope sees every tool, and gets the tool error missing_scope', async () => {
  const minted = await api(
    'POST',
    '/v1/keys?tenantId=default',
    { name: 'mcp read-only', scopes: ['sandboxes:read'] },
    { authorization: `Bearer ${env.CROWNEST_ADMIN_TOKEN}` },
  );
  assert.equal(minted.status, 201, JSON.stringify(minted.body));
  // x-api-key works as well as the bearer form
  const readOnly = await connect({ 'x-api-key': minted.body.key });
  try {
    const { tools } = await readOnly.listTools();
    assert.equal(tools.length, TOOLS.length);
    const create = await fails(readOnly, 'create_sandbox', { template: 'base' });
    assert.equal(create.code, 'missing_scope');
    assert.equal(create.status, 403);
    assert.match(create.message, /sandboxes:create/);
    const run = await fails(readOnly, 'run_shell', { sandbox_id: 'sbx_whatever', command: 'true' });
    assert.equal(run.code, 'missing_scope');
  } finally {
    await readOnly.close();
    await api('DELETE', `/v1/keys/${minted.body.id}?tenantId=default`, undefined, {
      authorization: `Bearer ${env.CROWNEST_ADMIN_TOKEN}`,
    });
  }
});

test('bad arguments are tool errors with the API code, and the server stays up', async () => {
  const missing = await fails(client, 'run_shell', { sandbox_id: 'sbx_nope' });
  assert.equal(missing.code, 'invalid_arguments');
  const wrongType = await fails(client, 'read_file', { sandbox_id: 5, path: 'a' });
  assert.equal(wrongType.code, 'invalid_arguments');
  const language = await fails(client, 'run_code', { sandbox_id: 'sbx_nope', language: 'ruby', code: 'p 1' });
  assert.equal(language.code, 'invalid_arguments');
  const port = await fails(client, 'create_preview', { sandbox_id: 'sbx_nope', port: 1e12 });
  assert.equal(port.code, 'invalid_arguments');
  const unknown = await fails(client, 'pause_sandbox', { sandbox_id: 'sbx_doesnotexist' });
  assert.equal(unknown.status, 404);
  const template = await fails(client, 'create_sandbox', { template: 'no-such-template' });
  assert.equal(template.status, 400);
  await assert.rejects(client.callTool({ name: 'no_such_tool', arguments: {} }));
  const { tools } = await client.listTools();
  assert.equal(tools.length, TOOLS.length);
});

test('no key, a wrong one, GET and a body that is not JSON are refused as HTTP errors', async () => {
  await assert.rejects(connect({}), (e) => e.code === 401 && /missing_api_key/.test(e.message));
  await assert.rejects(
    connect({ authorization: 'Bearer cn_live_wrong' }),
    (e) => e.code === 401 && /invalid_api_key/.test(e.message),
  );
  const get = await fetch(`${API}/v1/mcp`, { headers: { 'x-api-key': env.CROWNEST_API_KEY } });
  assert.equal(get.status, 405);
  // a body that is not JSON is the API's 400 invalid_json, as on any route
  const garbage = await fetch(`${API}/v1/mcp`, {
    method: 'POST',
    headers: {
      'x-api-key': env.CROWNEST_API_KEY,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: '{not json',
  });
  assert.equal(garbage.status, 400);
  assert.equal((await garbage.json()).error.code, 'invalid_json');
});

test('`crownest mcp` offers the same tools over stdio, to a client that spawns it', async () => {
  const cli = fileURLToPath(new URL('../../sdk/typescript/bin/crownest.js', import.meta.url));
  const spawn = (key) => {
    const stdio = new Client({ name: 'crownest-mcp-stdio-test', version: '1.0.0' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'mcp'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CROWNEST_API_URL: API, CROWNEST_API_KEY: key },
      stderr: 'pipe',
    });
    return { stdio, transport };
  };
  const { stdio, transport } = spawn(env.CROWNEST_API_KEY);
  await stdio.connect(transport);
  try {
    assert.equal(stdio.getServerVersion().name, 'crownest');
    const { tools } = await stdio.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [...TOOLS].sort());
    const created = await call(stdio, 'create_sandbox', { template: 'base', ttl_ms: 300_000 });
    sandboxes.push(created.sandbox_id);
    const ran = await call(stdio, 'run_shell', { sandbox_id: created.sandbox_id, command: 'echo over stdio; exit 4' });
    assert.equal(ran.stdout, 'over stdio\n');
    assert.equal(ran.exit_code, 4);
    const gone = await fails(stdio, 'read_file', { sandbox_id: 'sbx_nope', path: 'a.txt' });
    assert.equal(gone.code, 'sandbox_not_found');
  } finally {
    await stdio.close();
  }

  // A wrong key: the gateway's 401 comes back as the JSON-RPC error of the initialize request.
  const wrong = spawn('cn_live_wrong');
  await assert.rejects(wrong.stdio.connect(wrong.transport), /invalid_api_key/);
  await wrong.stdio.close();
});
