import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { UsageError } from './args.js';
import { counting, ProgressBar } from './progress.js';

const REMOTE = /^(sbx_[^:/]+):(.*)$/;

/** `crownest cp SRC DST`: one side local, the other SANDBOX_ID:PATH. A progress bar on a terminal. */
export async function cp(client, [src, dst], flags, out) {
  if (!src || !dst) throw new UsageError('cp LOCAL SANDBOX_ID:PATH | cp SANDBOX_ID:PATH LOCAL');
  const from = REMOTE.exec(src);
  const to = REMOTE.exec(dst);
  if (!!from === !!to) throw new UsageError('cp copies between this machine and a sandbox: one side is SANDBOX_ID:PATH');
  const force = flags.progress === true;
  if (to) {
    const size = statSync(src).size;
    const bar = new ProgressBar(`upload ${src}`, size, { force });
    const body = Readable.toWeb(createReadStream(src)).pipeThrough(counting(bar));
    const answer = await (await client.sandboxes.get(to[1])).files.write(to[2] || '.', body);
    bar.finish();
    return out(answer, `${answer.path} (${answer.size} bytes)`);
  }
  const sandbox = await client.sandboxes.get(from[1]);
  const res = await sandbox.http.send('GET', `/v1/sandboxes/${encodeURIComponent(from[1])}/files`, { query: { path: from[2] } });
  const bar = new ProgressBar(`download ${src}`, Number(res.headers.get('content-length') ?? 0), { force });
  const target = dst === '-' ? process.stdout : createWriteStream(dst);
  await res.body.pipeThrough(counting(bar)).pipeTo(Writable.toWeb(target));
  bar.finish();
  return dst === '-' ? 0 : out({ path: dst, size: bar.done }, `${dst} (${bar.done} bytes)`);
}

/** `crownest ls SANDBOX_ID [PATH]`. */
export async function ls(client, [id, path], flags, out) {
  if (!id) throw new UsageError('ls SANDBOX_ID [PATH]');
  const entries = await (await client.sandboxes.get(id)).files.list(path ?? '.');
  return out(entries, entries.map((e) => `${e.type === 'directory' ? 'd' : '-'}\t${e.size}\t${e.name}`).join('\n'));
}
