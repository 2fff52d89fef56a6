import { Terminal as XTerm } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { useEffect, useRef, useState } from 'preact/hooks';
import { openSocket } from '../../socket';

/** A real PTY in the sandbox: GET /v1/sandboxes/{id}/pty, terminal bytes both ways, resize as text frames. */
export function Terminal({ id }: { id: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [state, setState] = useState('connecting…');
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const dark = matchMedia('(prefers-color-scheme: dark)').matches;
    const term = new XTerm({
      cursorBlink: true,
      fontSize: 14,
      theme: dark ? { background: '#111418', foreground: '#e6e6e6' } : { background: '#ffffff', foreground: '#1b1f24', cursor: '#1b1f24' },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(box.current!);
    fit.fit();
    const socket = openSocket(`/v1/sandboxes/${encodeURIComponent(id)}/pty?cols=${term.cols}&rows=${term.rows}`);
    socket.binaryType = 'arraybuffer';
    const encoder = new TextEncoder();
    socket.onopen = () => {
      setState('connected');
      term.focus();
    };
    socket.onmessage = (e) => {
      if (typeof e.data === 'string') {
        const msg = JSON.parse(e.data);
        if (msg.type === 'exit') setState(`exited with code ${msg.exitCode}`);
        else if (msg.error) term.writeln(`\r\n${msg.error.code}: ${msg.error.message}`);
      } else term.write(new Uint8Array(e.data));
    };
    socket.onclose = (e) => setState((s) => (s.startsWith('exited') ? s : `closed${e.reason ? `: ${e.reason}` : ''}`));
    const input = term.onData((d) => socket.readyState === WebSocket.OPEN && socket.send(encoder.encode(d)));
    const resize = term.onResize(({ cols, rows }) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'resize', cols, rows }));
    });
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(box.current!);
    return () => {
      observer.disconnect();
      input.dispose();
      resize.dispose();
      socket.close();
      term.dispose();
    };
  }, [id, generation]);
  return (
    <div>
      <p class="row">
        <span aria-live="polite">Terminal: {state}</span>
        <button type="button" onClick={() => setGeneration((g) => g + 1)}>
          Reconnect
        </button>
      </p>
      <div class="terminal" ref={box} aria-label="terminal" />
    </div>
  );
}
