/**
 * Parses a text/event-stream body into events {event, data, id} as they arrive (the WHATWG rules that
 * matter here: fields id/event/data, multi-line data, comments, CRLF or LF line ends).
 */
export async function* serverSentEvents(body) {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = { event: 'message', data: [], id: undefined };
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl;
    while ((nl = buffer.search(/\r?\n/)) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(buffer[nl] === '\r' ? nl + 2 : nl + 1);
      if (line === '') {
        if (event.data.length || event.event !== 'message') yield { event: event.event, data: event.data.join('\n'), id: event.id };
        event = { event: 'message', data: [], id: undefined };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') event.data.push(value);
      else if (field === 'event') event.event = value;
      else if (field === 'id') event.id = value;
    }
  }
}
