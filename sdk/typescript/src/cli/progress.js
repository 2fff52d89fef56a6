/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal (or when forced for tests),
 * at most ten times a second.
 */
export class ProgressBar {
  constructor(label, total, { stream = process.stderr, force = false, unit = 'bytes' } = {}) {
    this.format = unit === 'bytes' ? human : (n) => `${n} ${unit}`;
    this.label = label;
    this.total = total || 0;
    this.done = 0;
    this.stream = stream;
    this.enabled = force || !!stream.isTTY;
    this.drawnAt = 0;
  }

  add(n) { this.done += n; this.draw(false); }
  set(done, total = this.total) { this.done = done; this.total = total; this.draw(false); }

  draw(final) {
    if (!this.enabled) return;
    const now = Date.now();
    if (!final && now - this.drawnAt < 100) return;
    this.drawnAt = now;
    const width = 30;
    const frac = this.total > 0 ? Math.min(1, this.done / this.total) : 0;
    const bar = this.total > 0 ? '#'.repeat(Math.round(frac * width)).padEnd(width, '.') : '';
    const amount = this.total > 0 ? `${this.format(this.done)}/${this.format(this.total)} ${Math.round(frac * 100)}%` : this.format(this.done);
    this.stream.write(`\r${this.label} [${bar}] ${amount}\x1b[K`);
  }

  finish() { this.draw(true); if (this.enabled) this.stream.write('\n'); }
}

export function human(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${i ? n.toFixed(1) : n} ${units[i]}`;
}

/** A web stream transform counting bytes into the bar. */
export function counting(bar) {
  return new TransformStream({ transform(chunk, ctl) { bar.add(chunk.byteLength); ctl.enqueue(chunk); } });
}
