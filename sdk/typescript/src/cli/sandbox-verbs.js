import { integer, pairs, UsageError } from './args.js';

const need = (v, what) => { if (!v) throw new UsageError(`missing ${what}`); return v; };
const row = (s) => [s.id, s.status, s.template, s.network ?? '', s.expiresAt ?? ''].join('\t');

/** `crownest sandboxes create|list|get|kill|pause|resume|fork`. */
export async function sandboxes(client, [verb, arg], flags, out) {
  const api = client.sandboxes;
  switch (verb) {
    case 'create': {
      const s = await api.create({
        template: flags.template ?? 'base', ttlMs: integer(flags['ttl-ms'], 'ttl-ms'), network: flags.network,
        allowedHosts: flags['allowed-host'], env: pairs(flags.env), metadata: pairs(flags.metadata),
        cpu: integer(flags.cpu, 'cpu'), memoryMb: integer(flags['memory-mb'], 'memory-mb'),
        diskMb: integer(flags['disk-mb'], 'disk-mb'), projectId: flags.project,
      });
      return out(s, s.id);
    }
    case 'list': {
      const list = await api.list({ status: flags.status, limit: integer(flags.limit, 'limit') });
      return out([...list], list.map(row).join('\n'));
    }
    case 'get': { const s = await api.get(need(arg, 'SANDBOX_ID')); return out(s, row(s)); }
    case 'kill': { const s = await api.kill(need(arg, 'SANDBOX_ID')); return out(s ?? { id: arg, killed: true }, `killed ${arg}`); }
    case 'pause': {
      const s = await api.get(need(arg, 'SANDBOX_ID'));
      const snapshotId = await s.pause();
      return out(s, snapshotId ?? `paused ${arg}`);
    }
    case 'resume': {
      const id = need(arg, 'SNAPSHOT_ID');
      // a sandbox id resumes that sandbox at its latest snapshot; a snapshot id goes through the snapshot
      const s = id.startsWith('sbx_') ? await (await api.get(id)).resume() : await api.resume(id);
      return out(s, `${s.id}\t${s.status}`);
    }
    case 'fork': {
      const s = await api.fork(need(arg, 'SNAPSHOT_ID'), { ttlMs: integer(flags['ttl-ms'], 'ttl-ms'), metadata: pairs(flags.metadata) });
      return out(s, s.id);
    }
    default: throw new UsageError('sandboxes create|list|get|kill|pause|resume|fork');
  }
}

/**
 * `crownest exec ID [--cwd DIR] [--env K=V] [--timeout-ms N] -- CMD`: streams the command's output,
 * exits with its exit code (124 when it timed out), and cancels it on Ctrl-C (exit 130).
 */
export async function exec(client, [id], flags, rest, out) {
  if (!id || !rest?.length) throw new UsageError('exec SANDBOX_ID -- COMMAND');
  const sandbox = await client.sandboxes.get(id);
  const cmd = rest.length === 1 ? rest[0] : rest.map(quote).join(' ');
  let commandId;
  let cancelled;
  const startedAt = Date.now();
  const onInt = () => {
    if (cancelled) process.exit(130);
    process.stderr.write('\ncancelling the command (Ctrl-C again to leave it running)\n');
    // The gateway sends the answer's headers (and the command id in them) with the first output: a
    // quiet command is found among the sandbox's commands instead.
    cancelled = (commandId ? Promise.resolve(commandId) : sandbox.commands.findStarted(cmd, startedAt))
      .then((cid) => sandbox.commands.cancel(cid))
      .catch((e) => process.stderr.write(`crownest: cancel failed: ${e.message}\n`));
  };
  process.on('SIGINT', onInt);
  try {
    const result = await sandbox.commands.run(cmd, {
      cwd: flags.cwd, env: pairs(flags.env), timeoutMs: integer(flags['timeout-ms'], 'timeout-ms'),
      onStart: (cid) => { commandId = cid; },
      onStdout: flags.json ? () => {} : (t) => process.stdout.write(t),
      onStderr: flags.json ? () => {} : (t) => process.stderr.write(t),
    });
    if (flags.json) out(result, '');
    if (cancelled) { await cancelled; return 130; }
    if (result.timedOut) return 124;
    return result.exitCode ?? 1;
  } finally {
    process.off('SIGINT', onInt);
  }
}

function quote(word) {
  return /^[A-Za-z0-9_\-./=:@%+,]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `crownest logs [SANDBOX_ID] CMD_ID [--follow]`: the command's output; --follow stays until it exits. */
export async function logs(client, positionals, flags, out) {
  let [sandboxId, commandId] = positionals;
  if (!commandId) { commandId = need(sandboxId, 'CMD_ID'); sandboxId = await findSandbox(client, commandId); }
  const sandbox = await client.sandboxes.get(sandboxId);
  if (!flags.follow) {
    const r = await sandbox.commands.get(commandId);
    if (flags.json) return out(r, '');
    process.stdout.write(r.stdout ?? '');
    process.stderr.write(r.stderr ?? '');
    return 0;
  }
  const result = await sandbox.commands.connect(commandId, {
    onStdout: flags.json ? undefined : (t) => process.stdout.write(t),
    onStderr: flags.json ? undefined : (t) => process.stderr.write(t),
    onGap: (g) => process.stderr.write(`\n[${g.bytes ?? '?'} bytes of ${g.stream ?? 'output'} not kept]\n`),
  });
  if (flags.json) out(result, '');
  return 0;
}

/** The sandbox of a command id, looked up among the caller's sandboxes (their first page of commands). */
async function findSandbox(client, commandId) {
  for (const s of await client.sandboxes.list({ limit: 100 })) {
    const commands = await s.commands.list({ limit: 100 }).catch(() => []);
    if (commands.some((c) => c.id === commandId)) return s.id;
  }
  throw new UsageError(`command ${commandId} not found; name its sandbox: logs SANDBOX_ID ${commandId}`);
}

/** `crownest preview ID PORT`: the port's preview URL. */
export async function preview(client, [id, port], flags, out) {
  const p = await (await client.sandboxes.get(need(id, 'SANDBOX_ID'))).previews.create({ port: integer(need(port, 'PORT'), 'port') });
  return out(p, p.url);
}
