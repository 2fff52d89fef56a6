import { useState } from 'preact/hooks';
import { get, setCredential, type Me } from '../api';
import { ErrorNote, useAction } from '../ui';

/** Takes an API key (cn_live_...) or an admin/operator session token; kept in session storage only. */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [value, setValue] = useState('');
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = await action.run(async () => {
      setCredential(value.trim());
      try {
        return await get<Me>('/v1/me');
      } catch (err) {
        setCredential(null);
        throw err;
      }
    });
    if (ok) onSignedIn();
  };
  return (
    <section class="signin">
      <h1>Sign in to CrowNest</h1>
      <form onSubmit={submit}>
        <label>
          API key or admin token
          <input
            name="credential"
            type="password"
            autoComplete="off"
            required
            value={value}
            onInput={(e) => setValue((e.target as HTMLInputElement).value)}
            placeholder="cn_live_… or cn_admin_…"
          />
        </label>
        <button type="submit" disabled={action.busy}>
          Sign in
        </button>
      </form>
      <ErrorNote error={action.error} />
      <p class="hint">
        The credential stays in this tab's session storage until you sign out or close the tab. An API key opens
        sandboxes, usage and audit as far as its scopes allow; a tenant admin token opens keys, projects, caps and
        invoices; the operator's token opens tenants, plans, pricing and nodes.
      </p>
    </section>
  );
}
