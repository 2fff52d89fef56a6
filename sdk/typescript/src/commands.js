import { randomUUID } from 'node:crypto';
import { ConflictError, ConnectionError, CrowNestError, NotFoundError, StreamError } from './errors.js';
import { serverSentEvents } from './sse.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Node's fetch gives up on answer headers after 300 s: longer blocking runs go in the background and are polled.
const LONGEST_BLOCKING_MS = 240_000;
const RECONNECTS = 5;
/** The code of an SSE error event that ends a stream, not its command (the gateway lost the output under it). */
const OUTPUT_INTERRUPTED = 'output_interrupted';

/** What a finished command gives: the record's fields, and the whole streamed output when it was streamed. */
function resultOf(record, streamed) {
  return {
    id: record.id,
    exitCode: record.exitCode ?? null,
    stdout: streamed ? streamed.stdout : record.stdout ?? '',
    stderr: streamed ? streamed.stderr : record.stderr ?? '',
    durationMs: record.durationMs ?? null,
    timedOut: !!record.timedOut,
    artifacts: record.artifacts ?? [],
    collectErrors: record.collectErrors ?? [],
  };
}

/** `sandbox.commands`: run, reattach, list, read and cancel the sandbox's commands. */
export class Commands {
  constructor(transport, sandboxId) {
    Object.defineProperty(this, 'http', { value: transport }); // not enumerable: the key never prints
    this.sandboxId = sandboxId;
    this.path = `/v1/sandboxes/${encodeURIComponent(sandboxId)}/commands`;
  }

  /**
   * Runs `cmd` (a shell line). Blocking by default; streamed (SSE) when onStdout or onStderr is given;
   * with background: true answers at once with a handle {id, wait(), kill()}.
   */
  async run(cmd, opts = {}) {
    const body = { cmd, cwd: opts.cwd, env: opts.env, timeoutMs: opts.timeoutMs, stdin: opts.stdin, collect: opts.collect };
    if (opts.background || (!opts.onStdout && !opts.onStderr && (opts.timeoutMs ?? 0) > LONGEST_BLOCKING_MS)) {
      const record = await this.http.json('POST', this.path, { json: body, query: { wait: false }, idempotencyKey: true });
      const handle = new CommandHandle(this, record);
      return opts.background ? handle : handle.wait();
    }
    if (opts.onStdout || opts.onStderr) return this.runStreamed(body, opts);
    return resultOf(await this.http.json('POST', this.path, { json: body, idempotencyKey: true, signal: opts.signal }));
  }

  /**
   * A streamed run. One Idempotency-Key for every attempt: a retry the gateway answers with 409
   * idempotent_stream_not_replayable means the first attempt started the command, which is then
   * followed through the stream route — the same output, never a second run. A stream that breaks
   * off, or that the gateway ends with an `output_interrupted` error event, is followed the same way
   * from its last event.
   */
  async runStreamed(body, opts) {
    const startedAt = Date.now();
    const key = randomUUID();
    const state = { stdout: '', stderr: '', lastEventId: undefined, exit: undefined };
    let commandId;
    for (let attempt = 0; !commandId; attempt++) {
      try {
        const res = await this.http.send('POST', this.path, {
          json: { ...body, stream: true }, headers: { accept: 'text/event-stream' }, idempotencyKey: key, signal: opts.signal, retryConnection: false,
        });
        commandId = res.headers.get('x-crownest-command-id');
        opts.onStart?.(commandId);
        await this.consume(res.body, state, opts);
      } catch (err) {
        if (err instanceof ConflictError && err.code === 'idempotent_stream_not_replayable') {
          commandId = err.body?.error?.commandId ?? (await this.findStarted(body.cmd, startedAt));
          opts.onStart?.(commandId);
        } else if (err instanceof ConnectionError && !commandId && attempt < this.http.maxRetries && !opts.signal?.aborted) {
          // The answer was lost: the command may run already. The gateway gives a key back when its
          // client goes away, so a second POST could run it again; look for it first.
          commandId = await this.findStarted(body.cmd, startedAt, 1).catch(() => undefined);
          if (!commandId) { await sleep(this.http.delay(attempt)); continue; }
          opts.onStart?.(commandId);
        } else if (!commandId || err instanceof StreamError || opts.signal?.aborted) {
          throw err;
        }
        // reattach below from the last event seen (none when the answer was lost)
      }
    }
    if (!state.exit) return this.connect(commandId, { ...opts, lastEventId: state.lastEventId, streamed: state });
    return resultOf(await this.get(commandId), state);
  }

  /**
   * The command this client started at startedAt (neither a lost answer nor the 409 names it): the
   * newest with that cmd since then. Two identical commands started by one client at once are not
   * told apart.
   */
  async findStarted(cmd, startedAt, tries = 20) {
    for (let i = 0; i < tries; i++) {
      const found = (await this.list({ limit: 50 })).find((c) => c.cmd === cmd && Date.parse(c.startedAt) >= startedAt - 5000);
      if (found) return found.id;
      if (i + 1 < tries) await sleep(250);
    }
    throw new CrowNestError('the streamed run started but its command could not be found', { code: 'command_not_found' });
  }

  /**
   * Reads SSE events into state, calling the callbacks; returns at the exit event or the body's end, and
   * at an `output_interrupted` error: the gateway lost the output under this stream (it stopped, or the
   * node went away), not the command, so the caller follows it again from the last event as after a
   * dropped connection. Any other error event is a StreamError.
   */
  async consume(body, state, opts) {
    for await (const ev of serverSentEvents(body)) {
      if (ev.id !== undefined) state.lastEventId = ev.id;
      const data = ev.data ? JSON.parse(ev.data) : {};
      if (ev.event === 'stdout') { state.stdout += data.data; opts.onStdout?.(data.data); }
      else if (ev.event === 'stderr') { state.stderr += data.data; opts.onStderr?.(data.data); }
      else if (ev.event === 'gap') opts.onGap?.(data);
      else if (ev.event === 'exit') { state.exit = data; return; }
      else if (ev.event === 'error') {
        const e = data.error ?? {};
        if (e.code === OUTPUT_INTERRUPTED) return;
        throw new StreamError(e.message ?? 'the output stream failed', { code: e.code, type: e.type, requestId: e.requestId, body: data });
      }
    }
  }

  /**
   * Reattaches to a running or finished command (GET .../commands/{cid}/stream): its kept output from
   * the first byte (or after lastEventId), `gap` events for what was not kept, then live, then its exit.
   * A stream that breaks off (a dropped connection, a gateway that stopped under it) is resumed with
   * Last-Event-ID, after a back-off while the gateway cannot be reached; RECONNECTS attempts in a row
   * that bring nothing new give up.
   */
  async connect(commandId, opts = {}) {
    const state = opts.streamed ?? { stdout: '', stderr: '', lastEventId: undefined, exit: undefined };
    if (opts.lastEventId !== undefined) state.lastEventId = opts.lastEventId;
    let failures = 0;
    let lastFailure;
    while (!state.exit) {
      const from = state.lastEventId;
      try {
        const res = await this.http.send('GET', `${this.path}/${encodeURIComponent(commandId)}/stream`, {
          headers: { accept: 'text/event-stream', ...(from !== undefined ? { 'last-event-id': from } : {}) },
          signal: opts.signal,
        });
        await this.consume(res.body, state, opts);
      } catch (err) {
        // A gateway without the stream route: the record, once finished, still has the kept output.
        if (err instanceof NotFoundError && err.code === 'route_not_found') return this.pollRecord(commandId, state, opts);
        // the API's answers (other than a gateway out of reach) and error events are final
        if ((err instanceof CrowNestError && !(err instanceof ConnectionError)) || opts.signal?.aborted) throw err;
        lastFailure = err;
      }
      if (state.exit) break;
      if (state.lastEventId !== from) failures = 0;
      else if (++failures > RECONNECTS) {
        const lost = new StreamError(`the output stream of ${commandId} broke off ${failures} times in a row`, { code: 'stream_lost' });
        throw Object.assign(lost, { cause: lastFailure });
      } else await sleep(this.http.delay(failures - 1));
    }
    return resultOf(await this.get(commandId), state);
  }

  async pollRecord(commandId, state, opts) {
    const record = await new CommandHandle(this, { id: commandId, status: 'running' }).waitRecord(opts.signal);
    const stdout = record.stdout?.slice(state.stdout.length) ?? '';
    const stderr = record.stderr?.slice(state.stderr.length) ?? '';
    if (stdout) opts.onStdout?.(stdout);
    if (stderr) opts.onStderr?.(stderr);
    return resultOf(record);
  }

  /** The sandbox's command records, newest first as the API answers them; `nextCursor` on the array. */
  async list(query = {}) {
    const page = await this.http.json('GET', this.path, { query });
    return Object.assign(page.data ?? page, { nextCursor: page.nextCursor ?? undefined });
  }

  get(commandId) {
    return this.http.json('GET', `${this.path}/${encodeURIComponent(commandId)}`);
  }

  cancel(commandId) {
    return this.http.json('POST', `${this.path}/${encodeURIComponent(commandId)}/cancel`, { idempotencyKey: true });
  }
}

/** A command running in the background: wait() for its result, kill() to cancel it. */
export class CommandHandle {
  constructor(commands, record) {
    this.commands = commands;
    this.id = record.id;
    this.record = record;
  }

  async waitRecord(signal) {
    let delay = 100;
    for (;;) {
      if (this.record.status === 'finished') return this.record;
      signal?.throwIfAborted();
      await sleep(delay);
      delay = Math.min(1000, delay * 2);
      this.record = await this.commands.get(this.id);
    }
  }

  async wait(opts = {}) {
    return resultOf(await this.waitRecord(opts.signal));
  }

  kill() {
    return this.commands.cancel(this.id);
  }
}
