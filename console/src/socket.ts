// Browsers cannot put a header on a WebSocket, and a key in a URL ends up in logs and history. The key
// goes in the Sec-WebSocket-Protocol list instead, beside the protocol the gateway answers with:
// "crownest.v1, crownest.key.<key>". The gateway reads it before the upgrade and never echoes it.
import { credential } from './api';

export const SOCKET_PROTOCOL = 'crownest.v1';
export const KEY_PROTOCOL_PREFIX = 'crownest.key.';

export function openSocket(path: string): WebSocket {
  const url = new URL(path, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return new WebSocket(url, [SOCKET_PROTOCOL, KEY_PROTOCOL_PREFIX + (credential() ?? '')]);
}
