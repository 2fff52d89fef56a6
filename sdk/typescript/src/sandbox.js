import { Commands } from './commands.js';
import { bodyAs, Files } from './files.js';

const enc = encodeURIComponent;
const pageOf = (page) => Object.assign(page.data ?? page, { nextCursor: page.nextCursor ?? undefined });

/** `sandbox.previews`: authenticated URLs of the sandbox's ports. */
export class Previews {
  constructor(transport, sandboxId) {
    Object.defineProperty(this, 'http', { value: transport }); // not enumerable: the key never prints
    this.path = `/v1/sandboxes/${enc(sandboxId)}/previews`;
  }
  /** Opens (or answers the open) preview of a port, as the API answers it ({id, port, url, ...}). */
  create({ port }) { return this.http.json('POST', this.path, { json: { port }, idempotencyKey: true }); }
  async list() { return pageOf(await this.http.json('GET', this.path)); }
  get(previewId) { return this.http.json('GET', `${this.path}/${enc(previewId)}`); }
  close(previewId) { return this.http.json('DELETE', `${this.path}/${enc(previewId)}`, { idempotencyKey: true }); }
  /** A single-use browser token: {previewId, token, url, expiresAt}. */
  token(previewId) { return this.http.json('POST', `${this.path}/${enc(previewId)}/tokens`); }
}

/** `sandbox.artifacts`: files collected by runs; readable after the sandbox ended. */
export class Artifacts {
  constructor(transport, sandboxId) {
    Object.defineProperty(this, 'http', { value: transport }); // not enumerable: the key never prints
    this.path = `/v1/sandboxes/${enc(sandboxId)}/artifacts`;
  }
  async list(query = {}) { return pageOf(await this.http.json('GET', this.path, { query })); }
  get(artifactId) { return this.http.json('GET', `${this.path}/${enc(artifactId)}`); }
  /** The artifact's bytes by default, or {format: 'text' | 'stream'}. */
  async download(artifactId, opts = {}) {
    return bodyAs(await this.http.send('GET', `${this.path}/${enc(artifactId)}/content`, { signal: opts.signal }), opts.format ?? 'bytes');
  }
}

/** One sandbox: its record's fields (id, status, template, expiresAt, ...) and what can be done with it. */
export class Sandbox {
  constructor(transport, view) {
    Object.defineProperty(this, 'http', { value: transport, enumerable: false });
    Object.assign(this, view);
    this.commands = new Commands(transport, view.id);
    this.files = new Files(transport, view.id);
    this.previews = new Previews(transport, view.id);
    this.artifacts = new Artifacts(transport, view.id);
  }

  get path() { return `/v1/sandboxes/${enc(this.id)}`; }

  /** The record's fields alone (never the client inside). */
  toJSON() {
    const { commands, files, previews, artifacts, ...view } = this;
    return view;
  }

  update(view) { if (view && typeof view === 'object') Object.assign(this, view); return this; }

  /** Reads the record again. */
  async refresh() { return this.update(await this.http.json('GET', this.path)); }

  /** Pauses (a checkpoint on disk) and answers the new snapshot's id. */
  async pause() {
    const answer = await this.http.json('POST', `${this.path}/pause`, { idempotencyKey: true });
    this.update(answer);
    this.snapshotId = answer?.snapshotId;
    return this.snapshotId;
  }

  /** Resumes this sandbox (at its latest snapshot). */
  async resume() { return this.update(await this.http.json('POST', `${this.path}/resume`, { idempotencyKey: true })); }

  /** Sets the time left to live to ms from now. */
  async setTimeout(ms) { return this.update(await this.http.json('POST', `${this.path}/ttl`, { json: { ttlMs: ms }, idempotencyKey: true })); }

  async kill() { return this.update(await this.http.json('DELETE', this.path, { idempotencyKey: true })); }

  /** A new sandbox from a snapshot of this one (default: the one the last pause() made). */
  fork(opts = {}) {
    const snapshotId = opts.snapshotId ?? this.snapshotId;
    if (!snapshotId) throw new TypeError('fork() needs a snapshot: pause() first, or pass {snapshotId}');
    return new Sandboxes(this.http).fork(snapshotId, opts);
  }
}

/** `client.sandboxes`. */
export class Sandboxes {
  constructor(transport) { Object.defineProperty(this, 'http', { value: transport }); }

  /** Creates a sandbox and answers it running: {template, ttlMs, network, allowedHosts, env, metadata, cpu, memoryMb, diskMb, projectId}. */
  async create(opts = {}) {
    const { idempotencyKey = true, ...body } = opts;
    return this.started(await this.http.json('POST', '/v1/sandboxes', { json: body, idempotencyKey }));
  }

  /** The sandbox once it runs: a create answers 202 `starting` when it takes long. */
  async started(view) {
    const sandbox = new Sandbox(this.http, view);
    for (let delay = 100; sandbox.status === 'starting'; delay = Math.min(1000, delay * 2)) {
      await new Promise((r) => setTimeout(r, delay));
      await sandbox.refresh();
    }
    return sandbox;
  }

  async get(id) { return new Sandbox(this.http, await this.http.json('GET', `/v1/sandboxes/${enc(id)}`)); }

  async list(query = {}) {
    const page = await this.http.json('GET', '/v1/sandboxes', { query });
    return Object.assign((page.data ?? page).map((v) => new Sandbox(this.http, v)), { nextCursor: page.nextCursor ?? undefined });
  }

  /** Kills a sandbox by id. */
  async kill(id) { return this.http.json('DELETE', `/v1/sandboxes/${enc(id)}`, { idempotencyKey: true }); }

  /** Resumes the sandbox paused at this snapshot (409 snapshot_not_current when it has moved on). */
  async resume(snapshotId) {
    const snapshot = await this.http.json('GET', `/v1/snapshots/${enc(snapshotId)}`);
    const view = await this.http.json('POST', `/v1/sandboxes/${enc(snapshot.sandboxId)}/resume`, { json: { snapshotId }, idempotencyKey: true });
    return new Sandbox(this.http, view);
  }

  /** A new sandbox from a snapshot; only ttlMs and metadata may differ from the source. */
  async fork(snapshotId, { ttlMs, metadata } = {}) {
    return this.started(await this.http.json('POST', '/v1/sandboxes', { json: { fromSnapshot: snapshotId, ttlMs, metadata }, idempotencyKey: true }));
  }
}
