import { readFileSync } from 'node:fs';
import { pairs, UsageError } from './args.js';
import { ProgressBar } from './progress.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const enc = encodeURIComponent;

/**
 * `crownest templates create NAME --from base --run CMD... --file /abs/path=LOCAL_FILE...` (then waits
 * for the build, a bar over its steps; --no-wait answers at once), `list`, `logs NAME`, `delete NAME`.
 */
export async function templates(client, [verb, name], flags, out) {
  switch (verb) {
    case 'create': {
      if (!name) throw new UsageError('templates create NAME --from TEMPLATE [--run CMD]... [--file /PATH=LOCAL]...');
      const files = pairs(flags.file);
      for (const k of Object.keys(files ?? {})) files[k] = readFileSync(files[k], 'utf8');
      let t = await client.request('POST', '/v1/templates', {
        json: { name, from: flags.from ?? 'base', run: flags.run ?? [], files }, idempotencyKey: true,
      });
      if (!flags['no-wait']) t = await waitBuilt(client, name, (flags.run?.length ?? 0) + (files ? 1 : 0), flags);
      out(t, `${t.name}\t${t.status}`);
      if (t.status === 'failed') {
        if (!flags.json) process.stderr.write(failure(await client.request('GET', `/v1/templates/${enc(name)}/logs`)));
        return 1;
      }
      return 0;
    }
    case 'list': {
      const page = await client.request('GET', '/v1/templates');
      const list = page.data ?? page;
      return out(list, list.map((t) => `${t.name}\t${t.status}\t${t.origin ?? ''}\t${t.sizeBytes ?? ''}`).join('\n'));
    }
    case 'logs': {
      if (!name) throw new UsageError('templates logs NAME');
      const logs = await client.request('GET', `/v1/templates/${enc(name)}/logs`);
      const text = (logs.steps ?? []).map((s) => `--- step ${s.step}: ${s.command} (exit ${s.exitCode}, ${s.durationMs} ms)\n${s.output ?? ''}`).join('\n');
      return out(logs, `${text}\n${logs.status}${logs.error ? `: ${logs.error}` : ''}`);
    }
    case 'delete': {
      if (!name) throw new UsageError('templates delete NAME');
      await client.request('DELETE', `/v1/templates/${enc(name)}`, { idempotencyKey: true });
      return out({ name, deleted: true }, `deleted ${name}`);
    }
    default: throw new UsageError('templates create|list|logs|delete');
  }
}

async function waitBuilt(client, name, steps, flags) {
  const bar = new ProgressBar(`build ${name}`, steps, { force: flags.progress === true, unit: 'steps' });
  for (let delay = 250; ; delay = Math.min(2000, delay * 2)) {
    const t = await client.request('GET', `/v1/templates/${enc(name)}`);
    if (t.status !== 'building') { bar.set(steps); bar.finish(); return t; }
    const logs = await client.request('GET', `/v1/templates/${enc(name)}/logs`).catch(() => undefined);
    bar.set(logs?.steps?.length ?? 0);
    await sleep(delay);
  }
}

function failure(logs) {
  const step = (logs.steps ?? []).find((s) => s.step === logs.failedStep);
  return `build failed${step ? ` at step ${step.step} (${step.command}, exit ${step.exitCode})\n${step.output ?? ''}` : ''}${logs.error ? `\n${logs.error}` : ''}\n`;
}
