import { Readable } from 'node:stream';

/** A body for fetch from a string, bytes, a Blob, a web ReadableStream or a Node stream / async iterable. */
export function uploadBody(content) {
  if (typeof content === 'string' || content instanceof Uint8Array || content instanceof ArrayBuffer) return content;
  if (typeof Blob !== 'undefined' && content instanceof Blob) return content;
  if (content && typeof content.getReader === 'function') return content;
  if (content instanceof Readable) return Readable.toWeb(content);
  if (content && typeof content[Symbol.asyncIterator] === 'function') return ReadableStream.from(content);
  throw new TypeError('file content must be a string, bytes, a Blob or a stream');
}

/** An answer's body as text (default), bytes, or a web ReadableStream. */
export async function bodyAs(res, format = 'text') {
  if (format === 'stream') return res.body;
  if (format === 'bytes') return new Uint8Array(await res.arrayBuffer());
  return res.text();
}

/** `sandbox.files`: the sandbox's /workspace. Paths are relative to it or absolute under it. */
export class Files {
  constructor(transport, sandboxId) {
    Object.defineProperty(this, 'http', { value: transport }); // not enumerable: the key never prints
    this.path = `/v1/sandboxes/${encodeURIComponent(sandboxId)}/files`;
  }

  /** Writes a file (parents made): {path, size}. Streams go through unbuffered; they are not retried. */
  write(path, content, opts = {}) {
    return this.http.json('PUT', this.path, {
      query: { path }, body: uploadBody(content), headers: { 'content-type': 'application/octet-stream' }, signal: opts.signal,
    });
  }

  /** A file's content: text by default, or {format: 'bytes' | 'stream'}. */
  async read(path, opts = {}) {
    return bodyAs(await this.http.send('GET', this.path, { query: { path }, signal: opts.signal }), opts.format);
  }

  /** A directory's entries [{name, path, type, size, modified}]. */
  async list(path = '.') {
    return (await this.http.json('GET', `${this.path}/list`, { query: { path } })).entries;
  }

  mkdir(path) {
    return this.http.json('POST', `${this.path}/mkdir`, { query: { path }, idempotencyKey: true });
  }

  move(from, to) {
    return this.http.json('POST', `${this.path}/move`, { query: { from, to }, idempotencyKey: true });
  }

  /** Deletes a file, or a directory with everything in it. */
  remove(path) {
    return this.http.json('DELETE', this.path, { query: { path }, idempotencyKey: true });
  }

  /** A signed URL that writes this one file with no key: {url, method, path, expiresAt}. */
  uploadUrl(path, opts = {}) {
    return this.http.json('POST', `${this.path}/upload-url`, { json: { path, expiresInSeconds: opts.expiresInSeconds } });
  }

  /** A signed URL that reads this one file with no key. */
  downloadUrl(path, opts = {}) {
    return this.http.json('POST', `${this.path}/download-url`, { json: { path, expiresInSeconds: opts.expiresInSeconds } });
  }
}
