// The TypeScript SDK's cost over raw HTTP on a blocking run of `true`, interleaved round by round:
// raw fetch without and with an Idempotency-Key (the SDK sends one on every run), then the SDK's
// sandbox.commands.run. Prints one JSON line of milliseconds per kind. Run by `./crownest bench api`.
// Usage: node overhead.mjs API_URL SANDBOX_ID ROUNDS (the key in CROWNEST_API_KEY)
import { randomUUID } from 'node:crypto';
import { CrowNest } from '../../sdk/typescript/src/index.js';

const [apiUrl, sandboxId, roundsArg] = process.argv.slice(2);
const apiKey = process.env.CROWNEST_API_KEY;
const rounds = Number(roundsArg ?? 25);
const url = `${apiUrl}/v1/sandboxes/${sandboxId}/commands`;

async function raw(keyed) {
  const headers = { 'x-api-key': apiKey, 'content-type': 'application/json' };
  if (keyed) headers['idempotency-key'] = randomUUID();
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ cmd: 'true' }) });
  const body = await res.json();
  if (res.status !== 200 || body.exitCode !== 0) throw new Error(`raw run: ${res.status} ${JSON.stringify(body)}`);
}

const sandbox = await new CrowNest({ apiKey, baseUrl: apiUrl }).sandboxes.get(sandboxId);
async function sdk() {
  const result = await sandbox.commands.run('true');
  if (result.exitCode !== 0) throw new Error(`sdk run: ${JSON.stringify(result)}`);
}

const kinds = { raw: () => raw(false), rawWithKey: () => raw(true), sdk };
const times = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
for (let i = 0; i < rounds + 3; i++) {
  for (const [kind, run] of Object.entries(kinds)) {
    const started = process.hrtime.bigint();
    await run();
    // the first three rounds warm the connection and the JIT
    if (i >= 3) times[kind].push(Number(process.hrtime.bigint() - started) / 1e6);
  }
}
process.stdout.write(`${JSON.stringify(times)}\n`);
