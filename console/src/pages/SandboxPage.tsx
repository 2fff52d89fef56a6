import { lazy, Suspense } from 'preact/compat';
import { useState } from 'preact/hooks';
import { api, get, type Me } from '../api';
import { navigate, onLink } from '../router';
import { ConfirmButton, ErrorNote, Field, useAction, useLoad, When } from '../ui';
import type { Sandbox } from './Sandboxes';
import { Files } from './sandbox/Files';
import { Commands } from './sandbox/Commands';
import { Previews, Artifacts } from './sandbox/Previews';

// xterm.js is the largest part of the bundle: loaded only when a terminal opens.
const Terminal = lazy(() => import('./sandbox/Terminal').then((m) => ({ default: m.Terminal })));

const TABS = ['Terminal', 'Files', 'Commands', 'Previews', 'Artifacts'] as const;
type Tab = (typeof TABS)[number];

/** Left and right arrows move between tabs, as a tab list does (WAI-ARIA), with the focus on the new one. */
function arrows(e: KeyboardEvent, tab: Tab, setTab: (t: Tab) => void) {
  const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
  if (!step) return;
  const next = TABS[(TABS.indexOf(tab) + step + TABS.length) % TABS.length];
  setTab(next);
  const buttons = (e.currentTarget as HTMLElement).querySelectorAll<HTMLButtonElement>('[role=tab]');
  buttons[TABS.indexOf(next)]?.focus();
}

export function SandboxPage({ id, me }: { id: string; me: Me }) {
  const sandbox = useLoad(() => get<Sandbox>(`/v1/sandboxes/${encodeURIComponent(id)}`), [id]);
  const [tab, setTab] = useState<Tab>('Terminal');
  const s = sandbox.data;
  const can = (scope: string) => me.scopes.includes(scope);
  return (
    <section>
      <p>
        <a href="/sandboxes" onClick={onLink}>
          ← Sandboxes
        </a>
      </p>
      <h1>
        Sandbox <code>{id}</code> {s && <span class={`status ${s.status}`}>{s.status}</span>}
      </h1>
      <ErrorNote error={sandbox.error} />
      {s && (
        <>
          <dl class="facts">
            <dt>Template</dt>
            <dd>{s.template}</dd>
            <dt>Network</dt>
            <dd>{s.network ?? '–'}</dd>
            <dt>Project</dt>
            <dd>{s.projectId ?? '–'}</dd>
            <dt>Created</dt>
            <dd>
              <When iso={s.createdAt} />
            </dd>
            <dt>Expires</dt>
            <dd>
              <When iso={s.expiresAt} />
            </dd>
            {s.snapshotId && (
              <>
                <dt>Snapshot</dt>
                <dd>
                  <code>{s.snapshotId}</code>
                </dd>
              </>
            )}
            {s.failureReason && (
              <>
                <dt>Reason</dt>
                <dd>{s.failureReason}</dd>
              </>
            )}
          </dl>
          <Lifecycle sandbox={s} can={can} onChange={sandbox.reload} />
          <div role="tablist" aria-label="sandbox tools" class="tabs" onKeyDown={(e) => arrows(e, tab, setTab)}>
            {TABS.map((t) => (
              <button type="button" role="tab" aria-selected={tab === t} tabIndex={tab === t ? 0 : -1} onClick={() => setTab(t)}>
                {t}
              </button>
            ))}
          </div>
          <div role="tabpanel" aria-label={tab}>
            {tab === 'Terminal' &&
              (s.status === 'running' ? (
                <Suspense fallback={<p>Loading terminal…</p>}>
                  <Terminal id={id} />
                </Suspense>
              ) : (
                <p class="empty">The terminal opens on a running sandbox: resume it first.</p>
              ))}
            {tab === 'Files' && <Files id={id} />}
            {tab === 'Commands' && <Commands id={id} canRun={can('commands:run')} />}
            {tab === 'Previews' && <Previews id={id} />}
            {tab === 'Artifacts' && <Artifacts id={id} />}
          </div>
        </>
      )}
    </section>
  );
}

function Lifecycle(props: { sandbox: Sandbox; can: (s: string) => boolean; onChange: () => void }) {
  const { sandbox: s, can, onChange } = props;
  const action = useAction();
  const [minutes, setMinutes] = useState('10');
  const path = `/v1/sandboxes/${encodeURIComponent(s.id)}`;
  const act = (fn: () => Promise<unknown>) => action.run(fn).then(onChange);
  const ended = ['killed', 'expired', 'failed'].includes(s.status);
  return (
    <div class="actions" role="group" aria-label="lifecycle">
      {can('sandboxes:pause') && s.status === 'running' && (
        <button type="button" disabled={action.busy} onClick={() => act(() => api('POST', `${path}/pause`))}>
          Pause
        </button>
      )}
      {can('sandboxes:pause') && s.status === 'paused' && (
        <button type="button" disabled={action.busy} onClick={() => act(() => api('POST', `${path}/resume`, {}))}>
          Resume
        </button>
      )}
      {can('sandboxes:create') && s.status === 'paused' && s.snapshotId && (
        <button
          type="button"
          disabled={action.busy}
          onClick={async () => {
            const fork = await action.run(() => api<Sandbox>('POST', '/v1/sandboxes', { fromSnapshot: s.snapshotId }));
            if (fork) navigate(`/sandboxes/${fork.id}`);
          }}
        >
          Fork
        </button>
      )}
      {can('sandboxes:create') && !ended && (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            act(() => api('POST', `${path}/ttl`, { ttlMs: Math.round(Number(minutes) * 60_000) }));
          }}
        >
          <Field label="TTL from now (minutes)" name="extendTtl" type="number" value={minutes} onInput={setMinutes} />
          <button type="submit" disabled={action.busy}>
            Extend TTL
          </button>
        </form>
      )}
      {can('sandboxes:kill') && !ended && (
        <ConfirmButton label="Kill" question="Kill this sandbox?" onConfirm={() => act(() => api('DELETE', path))} />
      )}
      <ErrorNote error={action.error} />
    </div>
  );
}
