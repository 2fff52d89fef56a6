import { createInterface } from 'node:readline/promises';
import { CrowNest, CrowNestError } from '../index.js';
import { credentialsPath, DEFAULT_BASE_URL, readCredentials, writeCredentials } from '../credentials.js';
import { parseArgs, UsageError } from './args.js';
import { cp, ls } from './file-verbs.js';
import { mcpBridge } from './mcp-bridge.js';
import { exec, logs, preview, sandboxes } from './sandbox-verbs.js';
import { templates } from './template-verbs.js';

const USAGE = `crownest — the CrowNest CLI (API: CROWNEST_API_URL, key: CROWNEST_API_KEY, or \`crownest login\`)

  login [--api-url URL] [--api-key KEY]      store URL and key in ~/.config/crownest/credentials (mode 600)
  sandboxes create [--template T] [--ttl-ms N] [--network off|restricted|open] [--env K=V] [--metadata K=V]
  sandboxes list | get ID | kill ID | pause ID | resume SNAPSHOT_ID | fork SNAPSHOT_ID [--ttl-ms N]
  exec ID [--cwd DIR] [--env K=V] [--timeout-ms N] -- CMD   stream a command; its exit code is crownest's
  cp LOCAL ID:PATH | cp ID:PATH LOCAL        copy a file (progress bar on a terminal; --progress forces it)
  ls ID [PATH]                               list a directory of /workspace
  logs [ID] CMD_ID [--follow]                a command's output; --follow until it exits
  preview ID PORT                            a preview URL of the sandbox's port
  templates create NAME --from T [--run CMD]... [--file /PATH=LOCAL]... [--no-wait] | list | logs NAME | delete NAME
  mcp                                        the MCP server's tools over stdio (for clients that spawn servers)

  --json on every verb prints the API's answer as JSON. Exit codes: 0 ok, 1 API error, 2 usage.`;

/** Runs the CLI; answers the process's exit code. */
export async function main(argv, env = process.env) {
  let parsed;
  try { parsed = parseArgs(argv); } catch (e) { process.stderr.write(`${e.message}\n`); return 2; }
  const { positionals: [verb, ...args], flags, rest } = parsed;
  const out = (value, text) => {
    if (flags.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    else if (text) process.stdout.write(`${text}\n`);
    return 0;
  };
  if (!verb || flags.help || verb === 'help') { process.stdout.write(`${USAGE}\n`); return verb || flags.help ? 0 : 2; }
  try {
    if (verb === 'login') return await login(flags, env, out);
    const client = new CrowNest({});
    switch (verb) {
      case 'sandboxes': case 'sandbox': return await sandboxes(client, args, flags, out);
      case 'exec': return await exec(client, args, flags, rest, out);
      case 'cp': return await cp(client, args, flags, out);
      case 'ls': return await ls(client, args, flags, out);
      case 'logs': return await logs(client, args, flags, out);
      case 'preview': return await preview(client, args, flags, out);
      case 'templates': return await templates(client, args, flags, out);
      case 'mcp': return await mcpBridge(client);
      default: throw new UsageError(`unknown verb "${verb}"; crownest --help lists them`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof TypeError && /no API key/.test(e.message)) {
      process.stderr.write(`crownest: ${e.message}\n`);
      return 2;
    }
    if (!(e instanceof CrowNestError)) throw e;
    if (flags.json) process.stdout.write(`${JSON.stringify({ error: { status: e.status, code: e.code, message: e.message, requestId: e.requestId } }, null, 2)}\n`);
    else process.stderr.write(`crownest: ${e.code}: ${e.message}${e.requestId ? ` (${e.requestId})` : ''}\n`);
    return 1;
  }
}

/** Checks the key against the API (a list of sandboxes), then stores URL and key. */
async function login(flags, env, out) {
  const stored = readCredentials(credentialsPath(env));
  let apiUrl = flags['api-url'] ?? env.CROWNEST_API_URL ?? stored.CROWNEST_API_URL;
  let apiKey = flags['api-key'] ?? env.CROWNEST_API_KEY;
  if (!apiUrl || !apiKey) {
    if (!process.stdin.isTTY) throw new UsageError('login needs --api-url and --api-key (or CROWNEST_API_URL / CROWNEST_API_KEY) when not on a terminal');
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    apiUrl ||= (await rl.question(`API URL [${DEFAULT_BASE_URL}]: `)) || DEFAULT_BASE_URL;
    apiKey ||= await rl.question('API key: ');
    rl.close();
  }
  await new CrowNest({ apiKey, baseUrl: apiUrl }).sandboxes.list({ limit: 1 });
  const path = writeCredentials({ apiUrl, apiKey }, credentialsPath(env));
  return out({ apiUrl, credentials: path }, `logged in to ${apiUrl}; credentials in ${path}`);
}
