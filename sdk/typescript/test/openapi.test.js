// The SDK's types against the running stack's GET /v1/openapi.json: every route the SDK calls exists
// with its method, every field of src/index.d.ts's API shapes exists in the matching schema with the
// same JSON type, and every body field the SDK sends is in the request schema. A drift fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { openApi } from './stack.js';

/** Routes the SDK and CLI call; `later` ones belong to work in flight and are checked once they exist. */
const ROUTES = [
  ['post', '/v1/sandboxes'], ['get', '/v1/sandboxes'], ['get', '/v1/sandboxes/{id}'], ['delete', '/v1/sandboxes/{id}'],
  ['post', '/v1/sandboxes/{id}/pause'], ['post', '/v1/sandboxes/{id}/resume'], ['post', '/v1/sandboxes/{id}/ttl'],
  ['post', '/v1/sandboxes/{id}/commands'], ['get', '/v1/sandboxes/{id}/commands'], ['get', '/v1/sandboxes/{id}/commands/{cid}'],
  ['post', '/v1/sandboxes/{id}/commands/{cid}/cancel'],
  ['get', '/v1/sandboxes/{id}/files'], ['put', '/v1/sandboxes/{id}/files'], ['delete', '/v1/sandboxes/{id}/files'],
  ['get', '/v1/sandboxes/{id}/files/list'], ['post', '/v1/sandboxes/{id}/files/mkdir'], ['post', '/v1/sandboxes/{id}/files/move'],
  ['post', '/v1/sandboxes/{id}/files/upload-url'], ['post', '/v1/sandboxes/{id}/files/download-url'],
  ['post', '/v1/sandboxes/{id}/previews'], ['get', '/v1/sandboxes/{id}/previews'], ['get', '/v1/sandboxes/{id}/previews/{pid}'],
  ['delete', '/v1/sandboxes/{id}/previews/{pid}'], ['post', '/v1/sandboxes/{id}/previews/{pid}/tokens'],
  ['get', '/v1/sandboxes/{id}/artifacts'], ['get', '/v1/sandboxes/{id}/artifacts/{aid}'], ['get', '/v1/sandboxes/{id}/artifacts/{aid}/content'],
  ['get', '/v1/sandboxes/{id}/commands/{cid}/stream', 'later: issue 12 item 6'],
  ['get', '/v1/snapshots/{id}', 'later: issue 11'],
  ['get', '/v1/templates', 'later: issue 11'], ['post', '/v1/templates', 'later: issue 11'],
  ['get', '/v1/templates/{name}', 'later: issue 11'], ['get', '/v1/templates/{name}/logs', 'later: issue 11'],
  ['delete', '/v1/templates/{name}', 'later: issue 11'],
];

/** index.d.ts interface → the OpenAPI schema it mirrors; fields the API does not have yet, with why. */
const SHAPES = {
  SandboxView: { schema: 'SandboxView', pending: { snapshotId: 'the pause answer of issue 11' } },
  CreateSandboxOptions: { schema: 'CreateSandboxRequest', sdkOnly: ['idempotencyKey'] },
  CommandRecord: { schema: 'CommandView' },
  ArtifactView: { schema: 'ArtifactView' },
  CollectError: { schema: 'CollectError' },
  FileEntry: { schema: 'Entry' },
  SignedUrl: { schema: 'SignedUrl' },
  PreviewView: { schema: 'PreviewView' },
  PreviewToken: { schema: 'PreviewTokenView' },
};

/** Body fields commands.run sends (RunOptions minus the callbacks). */
const RUN_BODY = { cmd: 'string', cwd: 'string', env: 'object', timeoutMs: 'integer', stdin: 'string', stream: 'boolean', collect: 'array' };

/** `name?: type;` lines of each exported interface of index.d.ts. */
function interfaces() {
  const text = readFileSync(new URL('../src/index.d.ts', import.meta.url), 'utf8');
  const out = {};
  for (const m of text.matchAll(/export interface (\w+)(?: extends [^{]+)? \{([^}]*)\}/g)) {
    out[m[1]] = Object.fromEntries([...m[2].matchAll(/^\s*(\w+)\??:\s*([^;]+);/gm)].map((f) => [f[1], f[2].trim()]));
  }
  return out;
}

/** The JSON types a TypeScript field type allows. */
function jsonTypes(ts) {
  const types = new Set();
  for (const part of ts.split('|').map((p) => p.trim())) {
    if (part === 'null' || part === 'undefined') continue;
    if (part.endsWith('[]')) types.add('array');
    else if (part === 'string' || /^'.*'$/.test(part) || part === 'Network') types.add('string');
    else if (part === 'number') { types.add('integer'); types.add('number'); }
    else if (part === 'boolean') types.add('boolean');
    else types.add('object');
  }
  return types;
}

function schemaType(doc, schema) {
  if (schema.$ref) return schemaType(doc, doc.components.schemas[schema.$ref.split('/').pop()]);
  return schema.type ?? (schema.properties || schema.additionalProperties ? 'object' : undefined);
}

test('every route the SDK calls is in the OpenAPI document', async (t) => {
  const doc = await openApi();
  for (const [method, path, later] of ROUTES) {
    const present = !!doc.paths[path]?.[method];
    if (later && !present) { t.diagnostic(`not on this stack yet: ${method.toUpperCase()} ${path} (${later})`); continue; }
    assert.ok(present, `${method.toUpperCase()} ${path} is in /v1/openapi.json`);
  }
});

test('the SDK types agree with the OpenAPI schemas', async (t) => {
  const doc = await openApi();
  const ifaces = interfaces();
  for (const [name, { schema, sdkOnly = [], pending = {} }] of Object.entries(SHAPES)) {
    const s = doc.components.schemas[schema];
    assert.ok(s, `schema ${schema} exists (for ${name})`);
    assert.ok(ifaces[name], `index.d.ts declares ${name}`);
    for (const [field, ts] of Object.entries(ifaces[name])) {
      if (sdkOnly.includes(field)) continue;
      const prop = s.properties?.[field];
      if (!prop && pending[field]) { t.diagnostic(`${name}.${field} not in ${schema} yet (${pending[field]})`); continue; }
      assert.ok(prop, `${name}.${field} is a field of ${schema}`);
      const type = schemaType(doc, prop);
      assert.ok(jsonTypes(ts).has(type), `${name}.${field}: ${ts} in the SDK, ${type} in ${schema}`);
    }
  }
});

test('the run body the SDK sends matches RunCommandRequest', async () => {
  const s = (await openApi()).components.schemas.RunCommandRequest;
  for (const [field, type] of Object.entries(RUN_BODY)) {
    assert.ok(s.properties?.[field], `RunCommandRequest.${field}`);
    assert.equal(s.properties[field].type ?? 'object', type, `RunCommandRequest.${field}`);
  }
});
