import uPlot from 'uplot';
import { useEffect, useRef } from 'preact/hooks';

/** One series over time (seconds since the epoch), drawn with uPlot as bars. */
/** {@code from}..{@code to} (seconds) is the window asked for, so one hour of data reads as one hour of it. */
export function Chart(props: { title: string; unit: string; x: number[]; y: number[]; from: number; to: number }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current!;
    const dark = matchMedia('(prefers-color-scheme: dark)').matches;
    const ink = dark ? '#c9d1d9' : '#24292f';
    const plot = new uPlot(
      {
        title: props.title,
        width: Math.max(320, el.clientWidth || 640),
        height: 240,
        scales: { x: { time: true, range: [props.from, props.to] } },
        axes: [
          { stroke: ink, grid: { stroke: dark ? '#30363d' : '#eaeef2' } },
          {
            stroke: ink,
            label: props.unit,
            size: 70,
            grid: { stroke: dark ? '#30363d' : '#eaeef2' },
            values: (_u: uPlot, ticks: number[]) => ticks.map((v) => String(+v.toPrecision(3))),
          },
        ],
        series: [
          {},
          { label: props.unit, stroke: '#2f81f7', fill: 'rgba(47,129,247,0.25)', paths: uPlot.paths.bars!({ size: [0.6, 40] }) },
        ],
      },
      [props.x, props.y],
      el,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(320, el.clientWidth), height: 240 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [props.x, props.y, props.title, props.from, props.to]);
  return <div ref={box} class="chart" role="img" aria-label={`${props.title} chart`} />;
}
