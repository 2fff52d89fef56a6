import { ConflictError, CrowNest } from '@crownest/sdk';

const client = new CrowNest({ apiKey: process.env.CROWNEST_API_KEY, baseUrl: process.env.CROWNEST_API_URL });
const sandbox = await client.sandboxes.create({ template: 'base', ttlMs: 300_000 });
await sandbox.files.write('notes/hello.txt', 'hello from the SDK\n');
console.log((await sandbox.files.read('notes/hello.txt')).trim());
console.log((await sandbox.files.list('notes')).map((entry) => entry.name));
const job = await sandbox.commands.run('sleep 1; echo background done', { background: true });
console.log((await job.wait()).stdout.trim());
await sandbox.kill();
try {
  await sandbox.files.read('notes/hello.txt');
} catch (error) {
  if (!(error instanceof ConflictError)) throw error;
  console.log(error.status, error.code, error.requestId.startsWith('req_'));
}
