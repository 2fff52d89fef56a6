// Types of @crownest/sdk. The API shapes follow GET /v1/openapi.json; test/openapi.test.js fails when
// a route or field used here is missing there or has another type.

export interface ClientOptions {
  /** Default: CROWNEST_API_KEY, then ~/.config/crownest/credentials. */
  apiKey?: string;
  /** Default: CROWNEST_API_URL, then the credentials file, then http://127.0.0.1:8080. */
  baseUrl?: string;
  /** Retries on 429/503 (and dropped connections when safe). Default 4. */
  maxRetries?: number;
  backoffMs?: number;
  maxBackoffMs?: number;
  fetch?: typeof fetch;
}

export type Network = 'off' | 'restricted' | 'open';
export type Page<T> = T[] & { nextCursor?: string };

export interface SandboxView {
  id: string;
  status: string;
  template: string;
  projectId?: string;
  createdAt?: string;
  startedAt?: string;
  endedAt?: string | null;
  expiresAt?: string | null;
  cpu?: number;
  memoryMb?: number;
  diskMb?: number;
  network?: Network;
  allowedHosts?: string[];
  metadata?: Record<string, string>;
  nodeId?: string;
  failureReason?: string | null;
  /** Set by pause() (the pause answer's snapshotId). */
  snapshotId?: string;
}

export interface CreateSandboxOptions {
  template?: string;
  ttlMs?: number;
  network?: Network;
  allowedHosts?: string[];
  env?: Record<string, string>;
  metadata?: Record<string, string>;
  cpu?: number;
  memoryMb?: number;
  diskMb?: number;
  projectId?: string;
  /** Sent as Idempotency-Key (default: a fresh one, reused by the SDK's retries). */
  idempotencyKey?: string;
}

export type CollectFile = string | { path: string; name?: string };

export interface ArtifactView {
  id: string;
  sandboxId: string;
  commandId: string;
  projectId?: string;
  name: string;
  path: string;
  size: number;
  sha256: string;
  contentType?: string;
  createdAt?: string;
}

export interface CollectError { path: string; code: string; message?: string }

export interface CommandRecord {
  id: string;
  sandboxId: string;
  cmd: string;
  cwd?: string;
  status: 'running' | 'finished' | string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut?: boolean;
  cancelled?: boolean;
  /** stdout or stderr was cut at the record's cap (512 KiB per stream). */
  truncated?: boolean;
  startedAt?: string;
  finishedAt?: string | null;
  durationMs: number | null;
  artifacts?: ArtifactView[];
  collectErrors?: CollectError[];
}

export interface CommandResult {
  id: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  durationMs: number | null;
  timedOut: boolean;
  artifacts: ArtifactView[];
  collectErrors: CollectError[];
}

export interface GapEvent { stream?: 'stdout' | 'stderr'; bytes?: number; [k: string]: unknown }

export interface StreamOptions {
  onStdout?: (text: string) => void;
  onStderr?: (text: string) => void;
  /** Output not kept by the platform (item 6's `gap` event): how many bytes are missing. */
  onGap?: (gap: GapEvent) => void;
  signal?: AbortSignal;
}

export interface RunOptions extends StreamOptions {
  collect?: CollectFile[];
  timeoutMs?: number;
  cwd?: string;
  env?: Record<string, string>;
  stdin?: string;
  background?: boolean;
  /** Called with the command's id as soon as a streamed run started. */
  onStart?: (commandId: string) => void;
}

export interface ConnectOptions extends StreamOptions {
  /** Resume after this event id (Last-Event-ID). */
  lastEventId?: string;
}

export declare class CommandHandle {
  readonly id: string;
  record: CommandRecord;
  wait(opts?: { signal?: AbortSignal }): Promise<CommandResult>;
  kill(): Promise<unknown>;
}

export declare class Commands {
  run(cmd: string, opts: RunOptions & { background: true }): Promise<CommandHandle>;
  run(cmd: string, opts?: RunOptions): Promise<CommandResult>;
  connect(commandId: string, opts?: ConnectOptions): Promise<CommandResult>;
  list(query?: { cursor?: string; limit?: number }): Promise<Page<CommandRecord>>;
  get(commandId: string): Promise<CommandRecord>;
  cancel(commandId: string): Promise<unknown>;
}

export type FileContent = string | Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array> | NodeJS.ReadableStream | AsyncIterable<Uint8Array>;

export interface FileEntry { name: string; path: string; type: 'file' | 'directory' | 'symlink' | string; size: number; modified?: string }
export interface SignedUrl { url: string; method: string; path: string; expiresAt: string }

export declare class Files {
  write(path: string, content: FileContent, opts?: { signal?: AbortSignal }): Promise<{ path: string; size: number }>;
  read(path: string, opts?: { format?: 'text'; signal?: AbortSignal }): Promise<string>;
  read(path: string, opts: { format: 'bytes'; signal?: AbortSignal }): Promise<Uint8Array>;
  read(path: string, opts: { format: 'stream'; signal?: AbortSignal }): Promise<ReadableStream<Uint8Array>>;
  list(path?: string): Promise<FileEntry[]>;
  mkdir(path: string): Promise<unknown>;
  move(from: string, to: string): Promise<unknown>;
  remove(path: string): Promise<void>;
  uploadUrl(path: string, opts?: { expiresInSeconds?: number }): Promise<SignedUrl>;
  downloadUrl(path: string, opts?: { expiresInSeconds?: number }): Promise<SignedUrl>;
}

export interface PreviewView {
  id: string;
  sandboxId: string;
  projectId?: string;
  port: number;
  status: string;
  url: string;
  createdAt?: string;
  closedAt?: string | null;
}
export interface PreviewToken { previewId: string; token: string; url: string; expiresAt: string }

export declare class Previews {
  create(opts: { port: number }): Promise<PreviewView>;
  list(): Promise<Page<PreviewView>>;
  get(previewId: string): Promise<PreviewView>;
  close(previewId: string): Promise<unknown>;
  token(previewId: string): Promise<PreviewToken>;
}

export declare class Artifacts {
  list(query?: { commandId?: string; cursor?: string; limit?: number }): Promise<Page<ArtifactView>>;
  get(artifactId: string): Promise<ArtifactView>;
  download(artifactId: string, opts?: { format?: 'bytes'; signal?: AbortSignal }): Promise<Uint8Array>;
  download(artifactId: string, opts: { format: 'text'; signal?: AbortSignal }): Promise<string>;
  download(artifactId: string, opts: { format: 'stream'; signal?: AbortSignal }): Promise<ReadableStream<Uint8Array>>;
}

export interface Sandbox extends SandboxView {}
export declare class Sandbox {
  readonly commands: Commands;
  readonly files: Files;
  readonly previews: Previews;
  readonly artifacts: Artifacts;
  refresh(): Promise<this>;
  /** Pauses and answers the new snapshot's id. */
  pause(): Promise<string>;
  resume(): Promise<this>;
  setTimeout(ms: number): Promise<this>;
  kill(): Promise<this>;
  fork(opts?: { snapshotId?: string; ttlMs?: number; metadata?: Record<string, string> }): Promise<Sandbox>;
}

export declare class Sandboxes {
  create(opts?: CreateSandboxOptions): Promise<Sandbox>;
  get(id: string): Promise<Sandbox>;
  list(query?: { status?: string; cursor?: string; limit?: number }): Promise<Page<Sandbox>>;
  kill(id: string): Promise<unknown>;
  resume(snapshotId: string): Promise<Sandbox>;
  fork(snapshotId: string, opts?: { ttlMs?: number; metadata?: Record<string, string> }): Promise<Sandbox>;
}

export declare class CrowNest {
  constructor(opts?: ClientOptions);
  readonly baseUrl: string;
  readonly sandboxes: Sandboxes;
  request<T = unknown>(method: string, path: string, opts?: { query?: Record<string, unknown>; json?: unknown; idempotencyKey?: string | boolean }): Promise<T>;
}
export declare function createCrowNestClient(opts?: ClientOptions): CrowNest;
export default CrowNest;

export interface ErrorInit { status?: number; code?: string; type?: string; requestId?: string; body?: unknown; retryAfterMs?: number }
export declare class CrowNestError extends Error {
  constructor(message: string, init?: ErrorInit);
  readonly status: number;
  readonly code: string;
  readonly type?: string;
  readonly requestId?: string;
  readonly body?: unknown;
  readonly retryAfterMs?: number;
}
export declare class BadRequestError extends CrowNestError {}
export declare class AuthenticationError extends CrowNestError {}
export declare class PaymentRequiredError extends CrowNestError {}
export declare class PermissionDeniedError extends CrowNestError {}
export declare class NotFoundError extends CrowNestError {}
export declare class ConflictError extends CrowNestError {}
export declare class GoneError extends CrowNestError {}
export declare class RateLimitError extends CrowNestError {}
export declare class UnavailableError extends CrowNestError {}
export declare class ConnectionError extends CrowNestError {}
export declare class StreamError extends CrowNestError {}

export declare function credentialsPath(env?: Record<string, string | undefined>): string;
export declare function readCredentials(path?: string): Record<string, string>;
export declare function writeCredentials(c: { apiUrl: string; apiKey: string }, path?: string): string;
