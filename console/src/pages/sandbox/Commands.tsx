import { useState } from 'preact/hooks';
import { api, get, type Page } from '../../api';
import { Empty, ErrorNote, Field, useAction, useLoad, When } from '../../ui';

interface Command {
  id: string;
  cmd: string;
  status: string;
  exitCode: number | null;
  stdout?: string;
  stderr?: string;
  startedAt?: string;
  createdAt?: string;
}

export function Commands({ id, canRun }: { id: string; canRun: boolean }) {
  const base = `/v1/sandboxes/${encodeURIComponent(id)}/commands`;
  const list = useLoad(() => get<Page<Command>>(base, { limit: 50 }), [id]);
  const [cmd, setCmd] = useState('');
  const [last, setLast] = useState<Command | null>(null);
  const action = useAction();
  const run = async (e: Event) => {
    e.preventDefault();
    const done = await action.run(() => api<Command>('POST', base, { cmd }));
    if (done) {
      setLast(done);
      // a run is recorded a moment after it answers (from its node's outbox): read the list again then
      setTimeout(list.reload, 1500);
    }
  };
  const commands = (list.data?.data ?? []).filter((c) => c.id !== last?.id);
  return (
    <div>
      {canRun && (
        <form onSubmit={run} class="row">
          <Field label="Command" name="cmd" value={cmd} onInput={setCmd} placeholder="ls -la" required />
          <button type="submit" disabled={action.busy}>
            {action.busy ? 'Running…' : 'Run'}
          </button>
        </form>
      )}
      <ErrorNote error={action.error ?? list.error} />
      {last && <Output command={last} />}
      {list.data && !last && commands.length === 0 && <Empty>No command has run here yet: run one above or in the terminal.</Empty>}
      {commands.map((c) => (
        <details key={c.id}>
          <summary>
            <code>{c.cmd}</code> — {c.status}
            {c.exitCode !== null && c.exitCode !== undefined ? ` (exit ${c.exitCode})` : ''} · <When iso={c.startedAt ?? c.createdAt} />
          </summary>
          <Output command={c} />
        </details>
      ))}
    </div>
  );
}

function Output({ command }: { command: Command }) {
  return (
    <div class="output" aria-label={`output of ${command.id}`}>
      <pre>{command.stdout || ''}</pre>
      {command.stderr && <pre class="stderr">{command.stderr}</pre>}
      <p>
        exit code {command.exitCode ?? '–'} · <code>{command.id}</code>
      </p>
    </div>
  );
}
