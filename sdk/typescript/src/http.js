import { randomUUID } from 'node:crypto';
import { ConnectionError, errorFor } from './errors.js';

const RETRY_STATUSES = new Set([429, 503]);
const sleep = (ms, signal) => new Promise((resolve, reject) => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
});

/**
 * One HTTP client of the public API: the key header, JSON bodies, the one error shape turned into
 * error classes, and retries. A request is retried on 429/503 (after Retry-After, else an exponential
 * back-off) and, when it is safe (a GET, or a request carrying an Idempotency-Key), on a dropped
 * connection. Nothing is retried that could do the work twice.
 */
export class Transport {
  constructor({ apiKey, baseUrl, maxRetries = 4, backoffMs = 250, maxBackoffMs = 20_000, fetch: fetchImpl = globalThis.fetch }) {
    this.apiKey = apiKey;
    this.baseUrl = String(baseUrl).replace(/\/+$/, '');
    this.maxRetries = maxRetries;
    this.backoffMs = backoffMs;
    this.maxBackoffMs = maxBackoffMs;
    this.fetch = fetchImpl;
  }

  url(path, query) {
    const u = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) u.searchParams.set(k, String(v));
    return u;
  }

  /**
   * Sends a request and answers the Response (status < 400) or throws the API's error.
   * opts: query, json (a body sent as JSON), body (raw: string, bytes, stream), headers,
   * idempotencyKey (true = a fresh one), signal, retry (false: never retried), retryConnection (false:
   * a dropped connection is thrown, 429/503 still retried).
   */
  async send(method, path, opts = {}) {
    const headers = { 'x-api-key': this.apiKey, ...(opts.headers ?? {}) };
    let body = opts.body;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey === true ? randomUUID() : opts.idempotencyKey;
    const streamedBody = body && typeof body === 'object' && typeof body.getReader === 'function';
    const safe = method === 'GET' || !!headers['idempotency-key'];
    const retries = opts.retry === false || streamedBody ? 0 : this.maxRetries;
    for (let attempt = 0; ; attempt++) {
      let res;
      try {
        res = await this.fetch(this.url(path, opts.query), {
          method, headers, body, signal: opts.signal, ...(streamedBody ? { duplex: 'half' } : {}),
        });
      } catch (cause) {
        if (opts.signal?.aborted) throw cause;
        if (safe && attempt < retries && opts.retryConnection !== false) { await sleep(this.delay(attempt), opts.signal); continue; }
        throw Object.assign(new ConnectionError(`${method} ${path}: ${cause?.cause?.message ?? cause?.message ?? cause}`, { code: 'connection_failed' }), { cause });
      }
      if (res.status < 400) return res;
      const err = errorFor(res.status, await readBody(res), res.headers);
      if (RETRY_STATUSES.has(res.status) && attempt < retries) {
        await sleep(err.retryAfterMs ?? this.delay(attempt), opts.signal);
        continue;
      }
      throw err;
    }
  }

  delay(attempt) {
    const base = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** attempt);
    return base / 2 + Math.random() * base / 2;
  }

  /** A JSON answer (undefined for 204). */
  async json(method, path, opts) {
    const res = await this.send(method, path, opts);
    if (res.status === 204) return undefined;
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  }
}

async function readBody(res) {
  const text = await res.text().catch(() => '');
  try { return JSON.parse(text); } catch { return text; }
}
