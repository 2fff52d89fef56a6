import { useEffect, useState } from 'preact/hooks';
import { api, get, type Me, type Page } from '../api';
import { onLink, navigate } from '../router';
import { readSse } from '../sse';
import { Empty, ErrorNote, Field, Pager, Select, useAction, useLoad, usePager, When, Head } from '../ui';

export interface Sandbox {
  id: string;
  status: string;
  template: string;
  projectId: string | null;
  createdAt?: string;
  endedAt?: string | null;
  expiresAt?: string | null;
  network?: string;
  snapshotId?: string | null;
  failureReason?: string | null;
}

const STATUSES = ['', 'starting', 'running', 'paused', 'killed', 'expired', 'failed'];
const PAGE_SIZE = 50;

/** Follows GET /v1/sandboxes/events while mounted; reconnects after a broken stream (bounded back-off). */
function useSandboxEvents(onChange: (s: Sandbox) => void) {
  const [live, setLive] = useState(false);
  useEffect(() => {
    const abort = new AbortController();
    let delay = 1000;
    const follow = async () => {
      while (!abort.signal.aborted) {
        try {
          await readSse(
            '/v1/sandboxes/events',
            (e) => {
              setLive(true);
              delay = 1000;
              if (e.event === 'sandbox') onChange(JSON.parse(e.data));
            },
            abort.signal,
          );
        } catch {
          /* broken or refused: retry below */
        }
        setLive(false);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 30_000);
      }
    };
    follow();
    return () => abort.abort();
  }, []);
  return live;
}

export function Sandboxes({ me }: { me: Me }) {
  const [status, setStatus] = useState('');
  const [project, setProject] = useState('');
  const [template, setTemplate] = useState('');
  const pager = usePager();
  const list = useLoad(
    () => get<Page<Sandbox>>('/v1/sandboxes', { status, projectId: project, limit: PAGE_SIZE, cursor: pager.cursor }),
    [status, project, pager.cursor],
  );
  const [changes, setChanges] = useState<Record<string, Sandbox>>({});
  const live = useSandboxEvents((s) => setChanges((c) => ({ ...c, [s.id]: s })));
  useEffect(() => setChanges({}), [list.data]);

  // Live changes: a listed sandbox takes its new state; a new one matching the filters joins page 1.
  const matches = (s: Sandbox) =>
    (!status || s.status === status) && (!project || s.projectId === project) && (!template || s.template === template);
  const listed = list.data?.data ?? [];
  const known = new Set(listed.map((s) => s.id));
  const fresh = pager.page === 1 ? Object.values(changes).filter((s) => !known.has(s.id) && matches(s)) : [];
  const rows = [...fresh, ...listed.map((s) => ({ ...s, ...(changes[s.id] ?? {}) }))].filter(matches);

  return (
    <section>
      <h1>Sandboxes</h1>
      {me.scopes.includes('sandboxes:create') && <CreateSandbox onCreated={(s) => navigate(`/sandboxes/${s.id}`)} />}
      <form class="filters" aria-label="filters" onSubmit={(e) => e.preventDefault()}>
        <Select label="Status" name="status" value={status} options={STATUSES} onChange={(v) => (setStatus(v), pager.reset())} />
        <Field label="Project" name="projectId" value={project} placeholder="prj_…" onInput={(v) => (setProject(v), pager.reset())} />
        <Field label="Template (this page)" name="template" value={template} placeholder="base" onInput={setTemplate} />
        <span class="live" aria-live="polite">
          {live ? '● live' : '○ connecting…'}
        </span>
      </form>
      <ErrorNote error={list.error} />
      {!list.loading && rows.length === 0 && !list.error && (
        <Empty>No sandbox here yet. Create one above, or change the filters.</Empty>
      )}
      {rows.length > 0 && (
        <table>
          <caption class="sr">Sandboxes, newest first</caption>
          <Head cols={['Id', 'Status', 'Template', 'Project', 'Created', 'Expires']} />
          <tbody>
            {rows.map((s) => (
              <tr key={s.id} data-id={s.id}>
                <td>
                  <a href={`/sandboxes/${s.id}`} onClick={onLink}>
                    {s.id}
                  </a>
                </td>
                <td>
                  <span class={`status ${s.status}`}>{s.status}</span>
                </td>
                <td>{s.template}</td>
                <td>{s.projectId ?? '–'}</td>
                <td>
                  <When iso={s.createdAt} />
                </td>
                <td>
                  <When iso={s.endedAt ? null : s.expiresAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager pager={pager} nextCursor={list.data?.nextCursor} />
    </section>
  );
}

function CreateSandbox({ onCreated }: { onCreated: (s: Sandbox) => void }) {
  const [template, setTemplate] = useState('base');
  const [network, setNetwork] = useState('off');
  const [ttl, setTtl] = useState('10');
  const action = useAction();
  const templates = useLoad(() => get<Page<{ name: string; status: string }>>('/v1/templates').catch(() => null), []);
  const names = templates.data?.data?.filter((t) => t.status === 'ready').map((t) => t.name) ?? ['base', 'python', 'node'];
  const submit = async (e: Event) => {
    e.preventDefault();
    const created = await action.run(() =>
      api<Sandbox>('POST', '/v1/sandboxes', { template, network, ttlMs: Math.round(Number(ttl) * 60_000) }),
    );
    if (created) onCreated(created);
  };
  return (
    <details class="panel">
      <summary>New sandbox</summary>
      <form onSubmit={submit} class="row">
        <Select label="Template" name="template" value={template} options={names} onChange={setTemplate} />
        <Select label="Network" name="network" value={network} options={['off', 'restricted', 'open']} onChange={setNetwork} />
        <Field label="TTL (minutes)" name="ttl" type="number" value={ttl} onInput={setTtl} required />
        <button type="submit" disabled={action.busy}>
          {action.busy ? 'Creating…' : 'Create'}
        </button>
      </form>
      <ErrorNote error={action.error} />
    </details>
  );
}
