import { useState } from 'preact/hooks';
import { download, get, type Me } from '../api';
import { Empty, ErrorNote, Field, useAction, useLoad, When, Head } from '../ui';

interface LedgerItem {
  kind: string;
  amountUsd: number;
  reference?: string;
  occurredAt: string;
}

interface Invoice {
  id: string;
  tenantId: string;
  period: string;
  status: string;
  number: string | null;
  subtotalUsd: number;
  creditAppliedUsd: number | null;
  totalUsd: number | null;
}

const usd = (n: number | null | undefined) => (n === null || n === undefined ? '–' : `$${Number(n).toFixed(2)}`);

/** Credits and ledger (an API key of the whole tenant), and invoices with PDF and CSV (keys and sessions). */
export function Billing({ me }: { me: Me }) {
  const [tenant, setTenant] = useState('');
  const tenantQuery = me.kind === 'operator' ? { tenantId: tenant || null } : undefined;
  return (
    <section>
      <h1>Credits &amp; invoices</h1>
      {me.kind === 'operator' && (
        <form class="filters" aria-label="tenant" onSubmit={(e) => e.preventDefault()}>
          <Field label="Tenant id" name="tenantId" value={tenant} placeholder="ten_… or default" onInput={setTenant} />
        </form>
      )}
      {me.kind === 'api_key' && !me.projectId && <Credits />}
      {me.kind === 'operator' && !tenant ? (
        <Empty>Name a tenant above to see its invoices.</Empty>
      ) : (
        <Invoices query={tenantQuery} />
      )}
    </section>
  );
}

const LEDGER_PAGE = 50;

function Credits() {
  const credits = useLoad(() => get<{ items: LedgerItem[]; balanceUsd: number }>('/v1/credits'), []);
  // the ledger comes whole (a charge per rated batch): newest first, shown 50 at a time
  const [shown, setShown] = useState(LEDGER_PAGE);
  const items = [...(credits.data?.items ?? [])].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
  return (
    <>
      <h2>Credits</h2>
      <ErrorNote error={credits.error} />
      {credits.data && (
        <>
          <p>
            Balance: <strong data-testid="balance">${Number(credits.data.balanceUsd).toFixed(4)}</strong>
          </p>
          {credits.data.items.length === 0 ? (
            <Empty>No credit movement yet: grants, charges and credit notes appear here as they happen.</Empty>
          ) : (
            <table>
              <caption>Credit ledger</caption>
              <Head cols={['When', 'Kind', 'Amount (USD)', 'Reference']} />
              <tbody>
                {items.slice(0, shown).map((i) => (
                  <tr>
                    <td>
                      <When iso={i.occurredAt} />
                    </td>
                    <td>{i.kind}</td>
                    <td class="num">{Number(i.amountUsd).toFixed(4)}</td>
                    <td>{i.reference ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {items.length > shown && (
            <button type="button" onClick={() => setShown((n) => n + LEDGER_PAGE)}>
              Show {Math.min(LEDGER_PAGE, items.length - shown)} more of {items.length - shown} older entries
            </button>
          )}
        </>
      )}
    </>
  );
}

function Invoices({ query }: { query?: Record<string, string | null> }) {
  const invoices = useLoad(() => get<{ items: Invoice[] }>('/v1/invoices', query), [JSON.stringify(query)]);
  const action = useAction();
  const items = invoices.data?.items ?? [];
  const file = (i: Invoice, ext: string) => `invoice-${i.number ?? i.id}.${ext}`;
  return (
    <>
      <h2>Invoices</h2>
      <ErrorNote error={invoices.error ?? action.error} />
      {invoices.data && items.length === 0 && (
        <Empty>No invoice yet: a draft appears once a period has usage, and is finalized at the period's end.</Empty>
      )}
      {items.length > 0 && (
        <table>
          <Head cols={['Period', 'Number', 'Status', 'Subtotal', 'Credit', 'Total', 'Download']} />
          <tbody>
            {items.map((i) => (
              <tr key={i.id}>
                <td>{i.period}</td>
                <td>{i.number ?? <em>draft</em>}</td>
                <td>{i.status}</td>
                <td class="num">{usd(i.subtotalUsd)}</td>
                <td class="num">{usd(i.creditAppliedUsd)}</td>
                <td class="num">{usd(i.totalUsd)}</td>
                <td>
                  <button type="button" aria-label={`PDF of ${i.period}`} onClick={() => action.run(() => download(`/v1/invoices/${i.id}`, file(i, 'pdf'), 'application/pdf'))}>
                    PDF
                  </button>{' '}
                  <button type="button" aria-label={`CSV of ${i.period}`} onClick={() => action.run(() => download(`/v1/invoices/${i.id}`, file(i, 'csv'), 'text/csv'))}>
                    CSV
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
