import { useState } from 'preact/hooks';
import { api, get, type Me, type Page } from '../api';
import { ConfirmButton, Empty, ErrorNote, Field, Select, useAction, useLoad, When, Head } from '../ui';

export const SCOPES = [
  'sandboxes:create', 'sandboxes:read', 'sandboxes:kill', 'sandboxes:pause', 'commands:run', 'commands:read',
  'commands:cancel', 'files:read', 'files:write', 'previews:create', 'previews:read', 'artifacts:read',
  'usage:read', 'audit:read', 'templates:read', 'templates:write',
];

interface Key {
  id: string;
  name: string;
  scopes: string[];
  status: string;
  projectId?: string | null;
  createdAt: string;
}

interface Project {
  id: string;
  name: string;
}

/** Keys, projects and project caps of one tenant: the admin's own, or any for the operator (?tenantId=). */
export function Keys({ me }: { me: Me }) {
  const [tenant, setTenant] = useState(me.tenantId ?? 'default');
  const q = me.kind === 'operator' ? { tenantId: tenant } : {};
  const keys = useLoad(() => get<Page<Key>>('/v1/keys', q), [tenant]);
  const projects = useLoad(() => get<Page<Project>>('/v1/projects', q), [tenant]);
  const action = useAction();
  const [secret, setSecret] = useState<{ id: string; key: string } | null>(null);
  const projectIds = (projects.data?.data ?? []).map((p) => p.id);
  return (
    <section>
      <h1>Keys &amp; projects</h1>
      {me.kind === 'operator' && (
        <form class="filters" aria-label="tenant" onSubmit={(e) => e.preventDefault()}>
          <Field label="Tenant id" name="tenantId" value={tenant} onInput={setTenant} />
        </form>
      )}
      <CreateKey
        projects={projectIds}
        onCreate={async (body) => {
          const created = await action.run(() => api<{ id: string; key: string }>('POST', '/v1/keys', body, q));
          if (created) {
            setSecret(created);
            keys.reload();
          }
        }}
      />
      {secret && (
        <div class="secret" role="status">
          <p>
            The secret of <code>{secret.id}</code>, shown this once: copy it now.
          </p>
          <input readOnly aria-label="new key's secret" name="secret" value={secret.key} onFocus={(e) => (e.target as HTMLInputElement).select()} />{' '}
          <button type="button" onClick={() => navigator.clipboard?.writeText(secret.key)}>
            Copy
          </button>{' '}
          <button type="button" onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      )}
      <ErrorNote error={action.error ?? keys.error} />
      {keys.data && keys.data.data.length === 0 && <Empty>No key yet: create one above.</Empty>}
      {keys.data && keys.data.data.length > 0 && (
        <table>
          <caption>Keys</caption>
          <Head cols={['Name', 'Id', 'Project', 'Scopes', 'Status', 'Created', 'Revoke']} />
          <tbody>
            {keys.data.data.map((k) => (
              <tr key={k.id} data-id={k.id}>
                <td>{k.name}</td>
                <td>
                  <code>{k.id}</code>
                </td>
                <td>{k.projectId ?? 'all'}</td>
                <td class="scopes">{k.scopes.join(' ')}</td>
                <td>{k.status}</td>
                <td>
                  <When iso={k.createdAt} />
                </td>
                <td>
                  {k.status === 'active' && (
                    <ConfirmButton
                      label="Revoke"
                      question={`Revoke ${k.name}? Clients using it stop within a second.`}
                      onConfirm={() => action.run(() => api('DELETE', `/v1/keys/${k.id}`, undefined, q)).then(keys.reload)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Projects projects={projects.data?.data ?? []} query={q} onChange={projects.reload} error={projects.error} />
    </section>
  );
}

function CreateKey({ projects, onCreate }: { projects: string[]; onCreate: (body: object) => void }) {
  const [name, setName] = useState('');
  const [project, setProject] = useState('');
  const [scopes, setScopes] = useState<string[]>(['sandboxes:read']);
  const toggle = (s: string) => setScopes((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));
  return (
    <details class="panel">
      <summary>New key</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onCreate({ name, scopes, ...(project ? { projectId: project } : {}) });
        }}
      >
        <div class="row">
          <Field label="Name" name="keyName" value={name} onInput={setName} required />
          <Select label="Project" name="keyProject" value={project} options={['', ...projects]} onChange={setProject} emptyLabel="every project" />
        </div>
        <fieldset>
          <legend>Scopes</legend>
          {SCOPES.map((s) => (
            <label class="check">
              <input type="checkbox" name="scope" value={s} checked={scopes.includes(s)} onChange={() => toggle(s)} /> {s}
            </label>
          ))}
        </fieldset>
        <button type="submit">Create key</button>
      </form>
    </details>
  );
}

interface Quota {
  maxConcurrentSandboxes?: number | null;
  hardCapComputeUnitSeconds?: number | null;
  hardCapAmountUsd?: number | null;
  usage?: { computeUnitSeconds: number; amountUsd: number; concurrentSandboxes: number };
}

function Projects(props: { projects: Project[]; query: object; onChange: () => void; error: unknown }) {
  const [name, setName] = useState('');
  const action = useAction();
  return (
    <>
      <h2>Projects and their caps</h2>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          action.run(() => api('POST', '/v1/projects', { name }, props.query as any)).then(props.onChange);
        }}
      >
        <Field label="New project name" name="projectName" value={name} onInput={setName} required />
        <button type="submit">Create project</button>
      </form>
      <ErrorNote error={action.error ?? props.error} />
      {props.projects.length === 0 && <Empty>No project yet: projects split a tenant's sandboxes, usage and caps.</Empty>}
      {props.projects.map((p) => (
        <ProjectCaps key={p.id} project={p} query={props.query} />
      ))}
    </>
  );
}

function ProjectCaps({ project, query }: { project: Project; query: object }) {
  const q = { ...(query as any), projectId: project.id };
  const quota = useLoad(() => get<Quota>('/v1/quotas', q), [project.id]);
  const [concurrent, setConcurrent] = useState('');
  const [cus, setCus] = useState('');
  const [usd, setUsd] = useState('');
  const action = useAction();
  const num = (v: string) => (v === '' ? undefined : Number(v));
  const d = quota.data;
  return (
    <form
      class="panel"
      aria-label={`caps of ${project.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        action
          .run(() => api('PUT', '/v1/quotas', { maxConcurrentSandboxes: num(concurrent), hardCapComputeUnitSeconds: num(cus), hardCapAmountUsd: num(usd) }, q))
          .then(quota.reload);
      }}
    >
      <h3>
        {project.name} <code>{project.id}</code>
      </h3>
      {d && (
        <p>
          Now: at most {d.maxConcurrentSandboxes ?? '–'} at once, cap {d.hardCapComputeUnitSeconds ?? '–'} CU·s / ${d.hardCapAmountUsd ?? '–'}; used{' '}
          {d.usage?.computeUnitSeconds ?? 0} CU·s, ${d.usage?.amountUsd ?? 0}, {d.usage?.concurrentSandboxes ?? 0} running
        </p>
      )}
      <div class="row">
        <Field label="Max sandboxes at once" name="maxConcurrentSandboxes" type="number" value={concurrent} onInput={setConcurrent} />
        <Field label="Hard cap (CU·s a month)" name="hardCapComputeUnitSeconds" type="number" value={cus} onInput={setCus} />
        <Field label="Hard cap (USD a month)" name="hardCapAmountUsd" type="number" value={usd} onInput={setUsd} />
        <button type="submit">Save caps</button>
      </div>
      <ErrorNote error={action.error ?? quota.error} />
    </form>
  );
}
