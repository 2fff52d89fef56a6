// The lazy pages' styles are small: bundled here, since esbuild's split chunks do not load their own CSS.
import '@xterm/xterm/css/xterm.css';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { credential, get, setCredential, type Me } from './api';
import { navigate, onLink, usePath } from './router';
import { ErrorNote } from './ui';
import { SignIn } from './pages/SignIn';
import { Sandboxes } from './pages/Sandboxes';
import { SandboxPage } from './pages/SandboxPage';
import { Usage } from './pages/Usage';
import { Billing } from './pages/Billing';
import { Keys } from './pages/Keys';
import { Audit } from './pages/Audit';
import { Operator } from './pages/Operator';

interface Section {
  path: string;
  title: string;
  allowed: (me: Me) => boolean;
}

const has = (me: Me, scope: string) => me.scopes.includes(scope);
const admin = (me: Me) => me.kind !== 'api_key';

/** What each credential may open: keys by their scopes, sessions by their role. */
export const SECTIONS: Section[] = [
  { path: '/sandboxes', title: 'Sandboxes', allowed: (me) => me.kind === 'api_key' && has(me, 'sandboxes:read') },
  { path: '/usage', title: 'Usage', allowed: (me) => me.kind === 'api_key' && has(me, 'usage:read') },
  { path: '/billing', title: 'Credits & invoices', allowed: (me) => (me.kind === 'api_key' ? has(me, 'usage:read') : true) },
  { path: '/keys', title: 'Keys & projects', allowed: (me) => me.kind === 'tenant_admin' || me.kind === 'operator' },
  { path: '/audit', title: 'Audit', allowed: (me) => (me.kind === 'api_key' ? has(me, 'audit:read') : admin(me)) },
  { path: '/operator', title: 'Operator', allowed: (me) => me.kind === 'operator' },
];

function Page({ me, path }: { me: Me; path: string }) {
  const sandbox = path.match(/^\/sandboxes\/([^/]+)$/);
  if (sandbox) return <SandboxPage id={decodeURIComponent(sandbox[1])} me={me} />;
  const section = SECTIONS.find((s) => s.path === path);
  if (!section || !section.allowed(me)) {
    const first = SECTIONS.find((s) => s.allowed(me));
    return (
      <section>
        <h1>Welcome</h1>
        <p>
          {section ? 'This credential may not open that page. ' : ''}
          {first ? (
            <>
              Start with{' '}
              <a href={first.path} onClick={onLink}>
                {first.title}
              </a>
              .
            </>
          ) : (
            'This credential opens no page of the console: ask your tenant admin for a key with more scopes.'
          )}
        </p>
      </section>
    );
  }
  switch (section.path) {
    case '/sandboxes':
      return <Sandboxes me={me} />;
    case '/usage':
      return <Usage me={me} />;
    case '/billing':
      return <Billing me={me} />;
    case '/keys':
      return <Keys me={me} />;
    case '/audit':
      return <Audit me={me} />;
    default:
      return <Operator />;
  }
}

function App() {
  const path = usePath();
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [signedIn, setSignedIn] = useState(Boolean(credential()));

  useEffect(() => {
    if (!signedIn) return;
    get<Me>('/v1/me').then(
      (m) => {
        setMe(m);
        setError(null);
        if (path === '/' || path === '/signin') {
          const first = SECTIONS.find((s) => s.allowed(m));
          if (first) navigate(first.path);
        }
      },
      (e) => {
        setError(e);
        setCredential(null);
        setSignedIn(false);
      },
    );
  }, [signedIn]);

  const signOut = () => {
    setCredential(null);
    setMe(null);
    setSignedIn(false);
    navigate('/');
  };

  if (!signedIn || !me)
    return (
      <main id="main">
        {signedIn ? <p aria-busy="true">Signing in…</p> : <SignIn onSignedIn={() => setSignedIn(true)} />}
        <ErrorNote error={error} />
      </main>
    );

  return (
    <>
      <header>
        <a class="brand" href="/" onClick={onLink}>
          CrowNest
        </a>
        <nav aria-label="sections">
          {SECTIONS.filter((s) => s.allowed(me)).map((s) => (
            <a href={s.path} onClick={onLink} aria-current={path.startsWith(s.path) ? 'page' : undefined}>
              {s.title}
            </a>
          ))}
        </nav>
        <details class="who">
          <summary>
            {me.kind.replace('_', ' ')}
            {me.tenantId ? ` · ${me.tenantId}` : ''}
            {me.projectId ? ` · ${me.projectId}` : ''}
          </summary>
          <div class="panel" role="region" aria-label="what this credential allows">
            {me.role && <p>Role: {me.role}</p>}
            {me.keyId && (
              <p>
                Key <code>{me.keyId}</code>
                {me.projectId ? ` (project ${me.projectId} only)` : ' (every project)'}
              </p>
            )}
            <p>Opens: {SECTIONS.filter((s) => s.allowed(me)).map((s) => s.title).join(', ') || 'nothing'}</p>
            {me.scopes.length > 0 && <p>Scopes: {me.scopes.join(' ')}</p>}
          </div>
        </details>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main">
        <Page me={me} path={path} />
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
// the first page is on screen: the suite reads this mark (time since the navigation started)
performance.mark('console-rendered');
