import { lazy, Suspense } from 'preact/compat';
import { useMemo, useState } from 'preact/hooks';
import { download, get, withQuery, type Me } from '../api';
import { Empty, ErrorNote, Field, Select, useAction, useLoad } from '../ui';

const Chart = lazy(() => import('./Chart').then((m) => ({ default: m.Chart })));

interface UsageRow {
  period: string;
  computeUnitSeconds: number;
  amount: number;
  pricingVersion: string;
}

interface UsageAnswer {
  rows: UsageRow[];
  totals: { computeUnitSeconds: number; amount: number; pricingVersion: string | null };
}

/** Rows of several pricing versions in one period are added up: the chart shows the period's total. */
function byPeriod(rows: UsageRow[]) {
  const sums = new Map<number, { cus: number; amount: number }>();
  for (const r of rows) {
    const t = Date.parse(r.period) / 1000;
    const s = sums.get(t) ?? { cus: 0, amount: 0 };
    s.cus += Number(r.computeUnitSeconds);
    s.amount += Number(r.amount);
    sums.set(t, s);
  }
  const x = [...sums.keys()].sort((a, b) => a - b);
  return { x, cus: x.map((t) => sums.get(t)!.cus), amount: x.map((t) => sums.get(t)!.amount) };
}

export function Usage({ me }: { me: Me }) {
  const [granularity, setGranularity] = useState('hour');
  const [project, setProject] = useState(me.projectId ?? '');
  const [days, setDays] = useState('7');
  const from = useMemo(() => new Date(Date.now() - Number(days || 7) * 86_400_000).toISOString(), [days]);
  const usage = useLoad(() => get<UsageAnswer>('/v1/usage', { granularity, projectId: project, from }), [granularity, project, from]);
  const exporting = useAction();
  const series = useMemo(() => byPeriod(usage.data?.rows ?? []), [usage.data]);
  const step = granularity === 'hour' ? 3600 : 86_400;
  const window = useMemo(() => [Math.floor(Date.parse(from) / 1000 / step) * step, Math.ceil(Date.now() / 1000 / step) * step + step], [from, step]);
  return (
    <section>
      <h1>Usage</h1>
      <form class="filters" aria-label="usage filters" onSubmit={(e) => e.preventDefault()}>
        <Select label="By" name="granularity" value={granularity} options={['hour', 'day']} onChange={setGranularity} />
        <Field label="Project" name="projectId" value={project} placeholder="all projects" onInput={setProject} />
        <Field label="Last days" name="days" type="number" value={days} onInput={setDays} />
        <button type="button" onClick={() => exporting.run(() => download(withQuery('/v1/usage/export', { format: 'csv', granularity, projectId: project, from }), 'usage.csv'))}>
          Export CSV
        </button>
      </form>
      <ErrorNote error={usage.error ?? exporting.error} />
      {usage.data && (
        <p>
          Total: <strong>{Number(usage.data.totals.computeUnitSeconds).toFixed(0)}</strong> compute-unit seconds,{' '}
          <strong>${Number(usage.data.totals.amount).toFixed(4)}</strong>
          {usage.data.totals.pricingVersion ? ` (pricing ${usage.data.totals.pricingVersion})` : ''}
        </p>
      )}
      {usage.data && series.x.length === 0 && <Empty>No usage in this window: run a sandbox and it shows here within a minute.</Empty>}
      {series.x.length > 0 && (
        <Suspense fallback={<p>Loading charts…</p>}>
          <Chart title={`compute_unit_seconds by ${granularity}`} unit="CU·s" x={series.x} y={series.cus} from={window[0]} to={window[1]} />
          <Chart title={`amount (USD) by ${granularity}`} unit="USD" x={series.x} y={series.amount} from={window[0]} to={window[1]} />
        </Suspense>
      )}
    </section>
  );
}
