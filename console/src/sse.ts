// Server-sent events over fetch: EventSource cannot send the credential's header, fetch can.
import { authHeaders, errorOf } from './api';

export interface SseEvent {
  event: string;
  data: string;
  id: string | null;
}

/** Reads the stream until it ends or {@code signal} aborts; each complete event goes to onEvent. */
export async function readSse(path: string, onEvent: (e: SseEvent) => void, signal: AbortSignal, init: RequestInit = {}) {
  const res = await fetch(path, {
    ...init,
    signal,
    headers: { accept: 'text/event-stream', ...authHeaders(), ...(init.headers ?? {}) },
  });
  if (!res.ok || !res.body) throw await errorOf(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer[end] === '\r' ? 4 : 2));
      let event = 'message';
      let id: string | null = null;
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = val;
        else if (field === 'data') data.push(val);
        else if (field === 'id') id = val;
      }
      if (data.length) onEvent({ event, data: data.join('\n'), id });
    }
  }
}
