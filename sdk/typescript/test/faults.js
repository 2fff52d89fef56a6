// A proxy on 127.0.0.1 in front of the real gateway that breaks what a network breaks: it answers a
// 503 with Retry-After, or forwards a request and then drops the connection before the answer, or
// (`interrupt`) passes an event stream through its first stdout event and ends it there with the
// gateway's `output_interrupted` error event, as a gateway that stops under a stream does. Every other
// request goes to the gateway as it is, answers streamed back.
import { createServer, request } from 'node:http';

export async function faultyProxy(target, faults) {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const fault = faults.find((f) => f.times > 0 && f.method === req.method && f.path.test(req.url));
    if (fault) fault.times--;
    if (fault?.kind === '503') {
      fault.seen = (fault.seen ?? 0) + 1;
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': String(fault.retryAfter ?? 1) });
      res.end(JSON.stringify({ error: { type: 'unavailable', code: 'no_capacity', message: 'injected', requestId: 'req_proxy' } }));
      req.resume();
      return;
    }
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      if (fault?.kind === 'drop') { answer.destroy(); req.socket.destroy(); fault.dropped = true; return; }
      if (fault?.kind === 'interrupt') { interrupt(answer, res, fault); return; }
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => req.socket.destroy());
    req.pipe(out);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

const INTERRUPTED = `event:error\ndata:${JSON.stringify({ error: { type: 'unavailable', code: 'output_interrupted', message: 'injected', requestId: 'req_proxy' } })}\n\n`;

/**
 * The answer's events up to the end of its first stdout event, then the error event. The rest of the
 * gateway's stream is read unseen: the run's command goes on, as it does when its gateway stops.
 */
function interrupt(answer, res, fault) {
  res.writeHead(answer.statusCode, answer.headers);
  let seen = '';
  answer.on('data', (chunk) => {
    if (fault.interrupted) return;
    seen += chunk.toString('latin1');
    const at = seen.indexOf('event:stdout');
    const end = at < 0 ? -1 : seen.indexOf('\n\n', at);
    if (end < 0) return;
    fault.interrupted = true;
    res.end(Buffer.concat([Buffer.from(seen.slice(0, end + 2), 'latin1'), Buffer.from(INTERRUPTED)]));
  });
}
