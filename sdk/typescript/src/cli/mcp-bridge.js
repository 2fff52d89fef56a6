import { createInterface } from 'node:readline';
import { serverSentEvents } from '../sse.js';

/**
 * `crownest mcp`: the gateway's MCP server (`/v1/mcp`, Streamable HTTP, stateless) offered over stdio,
 * for MCP clients that spawn their servers (Claude Desktop, Cursor). Each newline-delimited JSON-RPC
 * message read on stdin is POSTed with the CLI's key; each message in the answer (JSON, or the data of
 * its server-sent events) is written to stdout as one line. The tools, scopes and errors are the
 * gateway's: nothing is decided here. Logs go to stderr, never stdout, which belongs to the protocol.
 */
export async function mcpBridge(client, { input = process.stdin, output = process.stdout, log = process.stderr } = {}) {
  const transport = client.http;
  const endpoint = transport.url('/v1/mcp');
  let protocolVersion;
  const write = (message) => output.write(`${JSON.stringify(message)}\n`);
  const pending = new Set();

  const forward = async (line) => {
    let message;
    try { message = JSON.parse(line); } catch {
      write({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error: not JSON' } });
      return;
    }
    const headers = {
      'x-api-key': transport.apiKey,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(protocolVersion ? { 'mcp-protocol-version': protocolVersion } : {}),
    };
    let res;
    try {
      res = await transport.fetch(endpoint, { method: 'POST', headers, body: line });
    } catch (cause) {
      failed(message, `cannot reach ${endpoint}: ${cause?.cause?.message ?? cause?.message ?? cause}`);
      return;
    }
    const type = res.headers.get('content-type') ?? '';
    if (res.status === 202 || res.status === 204) return;
    if (type.includes('text/event-stream')) {
      for await (const event of serverSentEvents(res.body)) if (event.data) deliver(JSON.parse(event.data));
      return;
    }
    const text = await res.text();
    let body;
    try { body = JSON.parse(text); } catch { body = undefined; }
    if (body?.jsonrpc) { deliver(body); return; }
    const error = body?.error;
    failed(message, error ? `${error.code}: ${error.message}` : `HTTP ${res.status}`, error?.code);
  };

  const deliver = (answer) => {
    for (const one of Array.isArray(answer) ? answer : [answer]) {
      if (one?.result?.protocolVersion) protocolVersion = one.result.protocolVersion;
      write(one);
    }
  };

  // An answer the gateway gave before MCP (key, rate limit, body): a JSON-RPC error for a request, a
  // line on stderr for a notification, which has no one to answer.
  const failed = (message, text, code) => {
    if (message?.id === undefined || message?.id === null) { log.write(`crownest mcp: ${text}\n`); return; }
    write({ jsonrpc: '2.0', id: message.id, error: { code: -32000, message: text, ...(code ? { data: { code } } : {}) } });
  };

  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const job = forward(line).catch((e) => log.write(`crownest mcp: ${e?.message ?? e}\n`));
    pending.add(job);
    job.finally(() => pending.delete(job));
  }
  await Promise.all(pending);
  return 0;
}
