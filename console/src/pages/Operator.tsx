import { useState } from 'preact/hooks';
import { api, get, type Page } from '../api';
import { ConfirmButton, Empty, ErrorNote, Field, Select, useAction, useLoad, When, Head } from '../ui';

interface Tenant {
  id: string;
  name: string;
  plan: string;
  status: string;
  email?: string | null;
  createdAt?: string;
}

const PLANS = ['free', 'pro', 'team'];

/** The operator's page: tenants, plans, suspension, quotas, pricing versions, sign-up, nodes. */
export function Operator() {
  return (
    <section>
      <h1>Operator</h1>
      <Tenants />
      <Pricing />
      <Signup />
      <Nodes />
    </section>
  );
}

function Tenants() {
  const tenants = useLoad(() => get<Page<Tenant>>('/v1/tenants'), []);
  const action = useAction();
  const [name, setName] = useState('');
  const [plan, setPlan] = useState('pro');
  const [created, setCreated] = useState<{ id: string; adminToken: string } | null>(null);
  const [quotaOf, setQuotaOf] = useState<string | null>(null);
  const act = (fn: () => Promise<unknown>) => action.run(fn).then(tenants.reload);
  const list = tenants.data?.data ?? [];
  return (
    <>
      <h2>Tenants</h2>
      <form
        class="row"
        onSubmit={async (e) => {
          e.preventDefault();
          const t = await action.run(() => api<{ id: string; adminToken: string }>('POST', '/v1/tenants', { name, plan }));
          if (t) setCreated(t);
          tenants.reload();
        }}
      >
        <Field label="New tenant name" name="tenantName" value={name} onInput={setName} required />
        <Select label="Plan" name="tenantPlan" value={plan} options={PLANS} onChange={setPlan} />
        <button type="submit">Create tenant</button>
      </form>
      {created && (
        <p class="secret" role="status">
          Admin token of <code>{created.id}</code>, shown once: <input readOnly aria-label="admin token" value={created.adminToken} />{' '}
          <button type="button" onClick={() => navigator.clipboard?.writeText(created.adminToken)}>
            Copy
          </button>
        </p>
      )}
      <ErrorNote error={action.error ?? tenants.error} />
      {tenants.data && list.length === 0 && <Empty>No tenant has signed up yet: create one above, or open sign-up below.</Empty>}
      {list.length > 0 && (
        <table data-testid="tenants">
          <Head cols={['Tenant', 'Id', 'Plan', 'Status', 'Created', 'Actions']} />
          <tbody>
            {list.map((t) => (
              <tr key={t.id}>
                <td>
                  {t.name}
                  {t.email ? ` <${t.email}>` : ''}
                </td>
                <td>
                  <code>{t.id}</code>
                </td>
                <td>
                  <label>
                    <span class="sr">Plan of {t.name}</span>
                    <select value={t.plan} onChange={(e) => act(() => api('PUT', `/v1/tenants/${t.id}/plan`, { plan: (e.target as HTMLSelectElement).value }))}>
                      {PLANS.map((p) => (
                        <option value={p}>{p}</option>
                      ))}
                    </select>
                  </label>
                </td>
                <td>{t.status}</td>
                <td>
                  <When iso={t.createdAt} />
                </td>
                <td>
                  {t.status === 'suspended' ? (
                    <button type="button" onClick={() => act(() => api('POST', `/v1/tenants/${t.id}/unsuspend`))}>
                      Unsuspend
                    </button>
                  ) : (
                    <ConfirmButton label="Suspend" question={`Suspend ${t.name}? Its sandboxes are paused.`} onConfirm={() => act(() => api('POST', `/v1/tenants/${t.id}/suspend`))} />
                  )}{' '}
                  <button type="button" onClick={() => setQuotaOf(t.id)}>
                    Quotas of {t.name}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {quotaOf && <TenantQuota tenantId={quotaOf} />}
    </>
  );
}

function TenantQuota({ tenantId }: { tenantId: string }) {
  const quota = useLoad(() => get<Record<string, unknown>>('/v1/quotas', { tenantId }), [tenantId]);
  const [field, setField] = useState('maxConcurrentSandboxes');
  const [value, setValue] = useState('');
  const action = useAction();
  return (
    <div class="panel">
      <h3>
        Quotas of <code>{tenantId}</code>
      </h3>
      <ErrorNote error={quota.error ?? action.error} />
      {quota.data && <pre>{JSON.stringify(quota.data, null, 2)}</pre>}
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          action.run(() => api('PUT', '/v1/quotas', { [field]: Number(value) }, { tenantId })).then(quota.reload);
        }}
      >
        <Select
          label="Limit"
          name="quotaField"
          value={field}
          options={['maxConcurrentSandboxes', 'maxLifetimeMs', 'rateComputeUnitsPerSecond', 'hardCapComputeUnitSeconds', 'hardCapAmountUsd']}
          onChange={setField}
        />
        <Field label="Value" name="quotaValue" type="number" value={value} onInput={setValue} required />
        <button type="submit">Set</button>
      </form>
    </div>
  );
}

function Pricing() {
  const versions = useLoad(() => get<Page<{ id: string; usdPerComputeUnitHour: number; publishedAt: string; inUse: boolean }>>('/v1/pricing-versions'), []);
  const [id, setId] = useState('');
  const [price, setPrice] = useState('');
  const [tenant, setTenant] = useState('');
  const [pin, setPin] = useState('');
  const action = useAction();
  const ids = (versions.data?.data ?? []).map((v) => v.id);
  return (
    <>
      <h2>Pricing versions</h2>
      <ErrorNote error={versions.error ?? action.error} />
      <ul>
        {(versions.data?.data ?? []).map((v) => (
          <li>
            <code>{v.id}</code> · ${v.usdPerComputeUnitHour} per compute-unit hour · published <When iso={v.publishedAt} />
            {v.inUse ? ' · in use' : ''}
          </li>
        ))}
      </ul>
      <form class="row" onSubmit={(e) => (e.preventDefault(), action.run(() => api('POST', '/v1/pricing-versions', { id, usdPerComputeUnitHour: Number(price) })).then(versions.reload))}>
        <Field label="Version id" name="pricingId" value={id} placeholder="2027-01" onInput={setId} required />
        <Field label="USD per compute-unit hour" name="usdPerComputeUnitHour" type="number" value={price} onInput={setPrice} required />
        <button type="submit">Publish version</button>
      </form>
      <form class="row" onSubmit={(e) => (e.preventDefault(), action.run(() => api('PUT', `/v1/tenants/${tenant}/pricing`, { pricingVersion: pin })))}>
        <Field label="Tenant id" name="pinTenant" value={tenant} onInput={setTenant} required />
        <Select label="Version" name="pinVersion" value={pin} options={['', ...ids]} onChange={setPin} emptyLabel="choose…" />
        <button type="submit">Pin tenant</button>
      </form>
    </>
  );
}

function Signup() {
  const setting = useLoad(() => get<{ enabled: boolean }>('/v1/settings/signup'), []);
  const action = useAction();
  const enabled = setting.data?.enabled;
  return (
    <>
      <h2>Sign-up</h2>
      <ErrorNote error={setting.error ?? action.error} />
      {setting.data && (
        <label class="check">
          <input
            type="checkbox"
            name="signupEnabled"
            checked={enabled}
            onChange={() => action.run(() => api('PUT', '/v1/settings/signup', { enabled: !enabled })).then(setting.reload)}
          />{' '}
          Anyone may sign up (POST /v1/signup) — now {enabled ? 'open' : 'closed'}
        </label>
      )}
    </>
  );
}

interface Node {
  id: string;
  address: string;
  state: string;
  capacity: unknown;
  use: unknown;
  templates: { name: string; status: string }[] | null;
  warmPool: { template: string; ready: number; size: number }[] | null;
  lastHeartbeatAt: string | null;
}

function Nodes() {
  const nodes = useLoad(() => get<Node[] | Page<Node>>('/v1/nodes'), []);
  const list = Array.isArray(nodes.data) ? nodes.data : (nodes.data?.data ?? []);
  const show = (v: unknown) => (typeof v === 'object' && v ? Object.entries(v).map(([k, x]) => `${k} ${x}`).join(', ') : String(v ?? '–'));
  return (
    <>
      <h2>Nodes</h2>
      <ErrorNote error={nodes.error} />
      {nodes.data && list.length === 0 && <Empty>No node has registered: start a node agent (./crownest up starts one).</Empty>}
      {list.length > 0 && (
        <table data-testid="nodes">
          <Head cols={['Node', 'Address', 'State', 'Capacity', 'In use', 'Templates', 'Warm pool', 'Last heartbeat']} />
          <tbody>
            {list.map((n) => (
              <tr>
                <td>{n.id}</td>
                <td>{n.address}</td>
                <td>{n.state}</td>
                <td>{show(n.capacity)}</td>
                <td>{show(n.use)}</td>
                <td>{(n.templates ?? []).map((t) => (t.status === 'ready' ? t.name : `${t.name} (${t.status})`)).join(', ')}</td>
                <td>{(n.warmPool ?? []).map((w) => `${w.template} ${w.ready}/${w.size}`).join(', ')}</td>
                <td>{n.lastHeartbeatAt ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
