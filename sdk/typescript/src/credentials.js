import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';

/** ~/.config/crownest/credentials (XDG_CONFIG_HOME respected), written by `crownest login`. */
export function credentialsPath(env = process.env) {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'crownest', 'credentials');
}

/** The credentials file's KEY=value lines (missing file: {}). */
export function readCredentials(path = credentialsPath()) {
  let text;
  try { text = readFileSync(path, 'utf8'); } catch { return {}; }
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** Writes the credentials file with mode 600 (its folder 700). */
export function writeCredentials({ apiUrl, apiKey }, path = credentialsPath()) {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `CROWNEST_API_URL=${apiUrl}\nCROWNEST_API_KEY=${apiKey}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

/** apiKey and baseUrl: the options, else CROWNEST_API_KEY / CROWNEST_API_URL, else the credentials file. */
export function resolveOptions(opts = {}, env = process.env) {
  const file = opts.apiKey && opts.baseUrl ? {} : readCredentials(credentialsPath(env));
  const apiKey = opts.apiKey ?? env.CROWNEST_API_KEY ?? file.CROWNEST_API_KEY;
  const baseUrl = opts.baseUrl ?? env.CROWNEST_API_URL ?? file.CROWNEST_API_URL ?? DEFAULT_BASE_URL;
  if (!apiKey) throw new TypeError('no API key: pass {apiKey}, set CROWNEST_API_KEY, or run `crownest login`');
  return { ...opts, apiKey, baseUrl };
}
