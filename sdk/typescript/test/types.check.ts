// Compiled by `npm run typecheck` (tsc, no output): the README's uses of the SDK type-check.
import { createCrowNestClient, CrowNest, CrowNestError, type CommandResult } from '@crownest/sdk';

export async function uses(): Promise<void> {
  const client = createCrowNestClient();
  const other = new CrowNest({ apiKey: 'cn_live_x', baseUrl: 'http://127.0.0.1:8080' });
  const sandbox = await client.sandboxes.create({ template: 'python', ttlMs: 600_000, network: 'off' });
  const r: CommandResult = await sandbox.commands.run('echo hi', { onStdout: (t) => process.stdout.write(t), collect: ['out.txt'] });
  const code: number | null = r.exitCode;
  const bg = await sandbox.commands.run('sleep 60', { background: true });
  await bg.kill();
  const done: CommandResult = await bg.wait();
  await sandbox.commands.connect(done.id, { onStdout: () => {}, lastEventId: '3' });
  await sandbox.files.write('a.txt', 'text');
  await sandbox.files.write('b.bin', new Uint8Array([1, 2]));
  const text: string = await sandbox.files.read('a.txt');
  const bytes: Uint8Array = await sandbox.files.read('b.bin', { format: 'bytes' });
  const p = await sandbox.previews.create({ port: 8000 });
  const url: string = p.url;
  for (const a of await sandbox.artifacts.list()) await sandbox.artifacts.download(a.id);
  const snapshotId: string = await sandbox.pause();
  const resumed = await client.sandboxes.resume(snapshotId);
  await resumed.setTimeout(60_000);
  const fork = await resumed.fork({ snapshotId });
  await fork.kill();
  try { await other.sandboxes.get('sbx_x'); } catch (e) { if (e instanceof CrowNestError) console.log(e.status, e.code, e.requestId); }
  void code; void text; void bytes; void url;
}
