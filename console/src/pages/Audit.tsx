import { useState } from 'preact/hooks';
import { api, get, type Me, type Page } from '../api';
import { Empty, ErrorNote, Field, Pager, useAction, useLoad, usePager, When, Head } from '../ui';

interface AuditEvent {
  id: number;
  seq: number;
  action: string;
  resourceId: string;
  actor: string;
  occurredAt: string;
  payload: unknown;
}

interface Tombstone {
  resourceId: string;
  reason?: string;
  actor?: string;
  occurredAt?: string;
  [k: string]: unknown;
}

/** The trail (API keys with audit:read), chain verification and replay (keys and sessions). */
export function Audit({ me }: { me: Me }) {
  const q = me.kind === 'operator' ? { tenantId: 'default' } : undefined;
  return (
    <section>
      <h1>Audit</h1>
      <Checks query={q} />
      {me.kind === 'api_key' ? (
        <>
          <Trail />
          <Tombstones />
        </>
      ) : (
        <p class="hint">The event trail and tombstones are read with an API key holding audit:read.</p>
      )}
    </section>
  );
}

function Checks({ query }: { query?: Record<string, string> }) {
  const action = useAction();
  const [verify, setVerify] = useState<{ valid: boolean; checked: number; [k: string]: unknown } | null>(null);
  const [replay, setReplay] = useState<{ chainValid: boolean; equal: boolean; checked: object; differences: unknown[]; asOf: string } | null>(null);
  return (
    <div class="panel">
      <h2>Integrity</h2>
      <div class="row">
        <button type="button" disabled={action.busy} onClick={async () => setVerify((await action.run(() => get('/v1/audit/verify', query))) ?? null)}>
          Verify the chain
        </button>
        <button type="button" disabled={action.busy} onClick={async () => setReplay((await action.run(() => api('POST', '/v1/audit/replay', undefined, query))) ?? null)}>
          Replay and compare
        </button>
      </div>
      <ErrorNote error={action.error} />
      {verify && (
        <p role="status" data-testid="verify" class={verify.valid ? 'ok' : 'bad'}>
          {verify.valid ? 'Chain valid' : 'Chain broken'}: {verify.checked} events checked
          {!verify.valid && <pre>{JSON.stringify(verify, null, 2)}</pre>}
        </p>
      )}
      {replay && (
        <div role="status" data-testid="replay">
          <p class={replay.equal && replay.chainValid ? 'ok' : 'bad'}>
            Replay {replay.equal ? 'matches the read models' : 'differs from the read models'}; chain{' '}
            {replay.chainValid ? 'valid' : 'broken'}; checked {Object.entries(replay.checked).map(([k, v]) => `${v} ${k}`).join(', ')} as of{' '}
            <When iso={replay.asOf} />
          </p>
          {replay.differences.length > 0 && <pre>{JSON.stringify(replay.differences, null, 2)}</pre>}
        </div>
      )}
    </div>
  );
}

function Trail() {
  const [resource, setResource] = useState('');
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const pager = usePager();
  const events = useLoad(
    () => get<Page<AuditEvent>>('/v1/audit/events', { resourceId: resource, actor, action, limit: 50, cursor: pager.cursor }),
    [resource, actor, action, pager.cursor],
  );
  const filter = (set: (v: string) => void) => (v: string) => {
    set(v);
    pager.reset();
  };
  return (
    <>
      <h2>Events</h2>
      <form class="filters" aria-label="audit filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Resource" name="resourceId" value={resource} placeholder="sbx_…, key_…" onInput={filter(setResource)} />
        <Field label="Actor" name="actor" value={actor} placeholder="key_…, system:quota" onInput={filter(setActor)} />
        <Field label="Action" name="action" value={action} placeholder="sandbox.created" onInput={filter(setAction)} />
      </form>
      <ErrorNote error={events.error} />
      {events.data && events.data.data.length === 0 && <Empty>No event matches: clear a filter, or act first (every change is recorded).</Empty>}
      {events.data && events.data.data.length > 0 && (
        <table>
          <Head cols={['#', 'When', 'Action', 'Resource', 'Actor', 'Details']} />
          <tbody>
            {events.data.data.map((e) => (
              <tr key={e.id}>
                <td>{e.seq}</td>
                <td>
                  <When iso={e.occurredAt} />
                </td>
                <td>{e.action}</td>
                <td>
                  <code>{e.resourceId}</code>
                </td>
                <td>{e.actor}</td>
                <td>
                  <details>
                    <summary>payload</summary>
                    <pre>{JSON.stringify(e.payload, null, 2)}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager pager={pager} nextCursor={events.data?.nextCursor} />
    </>
  );
}

function Tombstones() {
  const tombs = useLoad(() => get<Page<Tombstone>>('/v1/audit/tombstones', { limit: 50 }), []);
  const items = tombs.data?.data ?? [];
  return (
    <>
      <h2>Tombstones</h2>
      <ErrorNote error={tombs.error} />
      {tombs.data && items.length === 0 && <Empty>No tombstone: a killed, expired or failed sandbox leaves one saying who ended it and why.</Empty>}
      <ul>
        {items.map((t) => (
          <li>
            <code>{t.resourceId}</code> · {String(t.reason ?? '')} · {String(t.actor ?? '')} · <When iso={t.occurredAt as string} />
          </li>
        ))}
      </ul>
    </>
  );
}
