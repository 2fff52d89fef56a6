import { createCrowNestClient } from '@crownest/sdk';

const client = createCrowNestClient(); // reads CROWNEST_API_URL and CROWNEST_API_KEY
const sandbox = await client.sandboxes.create({ template: 'python', ttlMs: 600_000 });
try {
  const result = await sandbox.commands.run('python -c "print(6 * 7)" && echo done > out.txt', {
    onStdout: (text) => process.stdout.write(text),
    collect: ['out.txt'],
  });
  console.log('exit', result.exitCode, 'artifacts', result.artifacts.map((a) => a.name));
  for (const artifact of await sandbox.artifacts.list()) {
    const bytes = await sandbox.artifacts.download(artifact.id);
    console.log(artifact.name, new TextDecoder().decode(bytes).trim());
  }
} finally {
  await sandbox.kill();
}
