// The stack the tests run against: CROWNEST_API_URL / CROWNEST_API_KEY, or the KEY=value lines of
// CROWNEST_ENV_FILE (what `./crownest up` and `./crownest test` write). Nothing is mocked.
import { readFileSync } from 'node:fs';

export function stackEnv() {
  const env = {};
  if (process.env.CROWNEST_ENV_FILE) {
    for (const line of readFileSync(process.env.CROWNEST_ENV_FILE, 'utf8').split('\n')) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
      if (m) env[m[1]] = m[2];
    }
  }
  // the file wins: a shell's CROWNEST_* of another stack must not send the tests there
  const url = env.CROWNEST_API_URL ?? process.env.CROWNEST_API_URL;
  const key = env.CROWNEST_API_KEY ?? process.env.CROWNEST_API_KEY;
  if (!url || !key) throw new Error('no stack: set CROWNEST_ENV_FILE (or CROWNEST_API_URL and CROWNEST_API_KEY)');
  process.env.CROWNEST_API_URL = url;
  process.env.CROWNEST_API_KEY = key;
  return { url, key };
}

let openapi;
/** The running stack's OpenAPI document (cached). */
export async function openApi() {
  openapi ??= await (await fetch(`${stackEnv().url}/v1/openapi.json`)).json();
  return openapi;
}

/** Whether the stack serves METHOD PATH (e.g. the snapshot and template routes built in parallel). */
export async function hasRoute(method, path) {
  return !!(await openApi()).paths?.[path]?.[method.toLowerCase()];
}
