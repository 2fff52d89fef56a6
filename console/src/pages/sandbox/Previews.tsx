import { useState } from 'preact/hooks';
import { api, download, get, type Page } from '../../api';
import { ConfirmButton, Empty, ErrorNote, Field, useAction, useLoad } from '../../ui';

interface Preview {
  id: string;
  port: number;
  status: string;
  url: string;
}

/** Previews open on their own origin through a single-use token URL: the console's key never goes there. */
export function Previews({ id }: { id: string }) {
  const base = `/v1/sandboxes/${encodeURIComponent(id)}/previews`;
  const list = useLoad(() => get<Page<Preview> | Preview[]>(base), [id]);
  const [port, setPort] = useState('8000');
  const action = useAction();
  const previews = Array.isArray(list.data) ? list.data : (list.data?.data ?? []);
  const open = async (p: Preview) => {
    // opened first, then pointed at the token URL, so a popup blocker sees the user's click
    const tab = window.open('about:blank', '_blank', 'noopener');
    const token = await action.run(() => api<{ url: string }>('POST', `${base}/${p.id}/tokens`));
    if (token && tab) tab.location.href = token.url;
    else if (token) window.open(token.url, '_blank', 'noopener');
    else tab?.close();
  };
  return (
    <div>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          action.run(() => api('POST', base, { port: Number(port) })).then(list.reload);
        }}
      >
        <Field label="Port" name="port" type="number" value={port} onInput={setPort} required />
        <button type="submit" disabled={action.busy}>
          Create preview
        </button>
      </form>
      <ErrorNote error={action.error ?? list.error} />
      {list.data && previews.length === 0 && (
        <Empty>No preview yet: start a server in the sandbox (for example python3 -m http.server 8000), then create one.</Empty>
      )}
      <ul>
        {previews.map((p) => (
          <li key={p.id}>
            port {p.port} · {p.status} · <code>{p.url}</code>{' '}
            {p.status === 'active' && (
              <>
                <button type="button" onClick={() => open(p)}>
                  Open preview on port {p.port}
                </button>{' '}
                <ConfirmButton
                  label="Close"
                  question={`Close the preview of port ${p.port}?`}
                  onConfirm={() => action.run(() => api('DELETE', `${base}/${p.id}`)).then(list.reload)}
                />
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface Artifact {
  id: string;
  name: string;
  path: string;
  size: number;
  sha256: string;
}

export function Artifacts({ id }: { id: string }) {
  const base = `/v1/sandboxes/${encodeURIComponent(id)}/artifacts`;
  const list = useLoad(() => get<Page<Artifact>>(base), [id]);
  const action = useAction();
  const items = list.data?.data ?? [];
  return (
    <div>
      <ErrorNote error={action.error ?? list.error} />
      {list.data && items.length === 0 && (
        <Empty>No artifact: a command run with "collect" keeps files here once it exits 0, even after the sandbox ends.</Empty>
      )}
      <ul>
        {items.map((a) => (
          <li key={a.id}>
            {a.name} · {a.size} bytes · <code title="sha256">{a.sha256.slice(0, 12)}</code>{' '}
            <button type="button" aria-label={`Download ${a.name}`} onClick={() => action.run(() => download(`${base}/${a.id}/content`, a.name))}>
              Download
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
