# PreviewTest's app inside the sandbox (standard library only): a plain HTTP request is answered with
# the request head it received (so the test sees what the gateway forwarded); a WebSocket echoes frames.
import base64, hashlib, socket, sys, threading

GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'


def handle(c):
    f = c.makefile('rb')
    head = b''
    while not head.endswith(b'\r\n\r\n'):
        line = f.readline()
        if not line:
            c.close()
            return
        head += line
    text = head.decode('latin-1')
    headers = {l.split(':', 1)[0].strip().lower(): l.split(':', 1)[1].strip()
               for l in text.split('\r\n')[1:] if ':' in l}
    if headers.get('upgrade', '').lower() != 'websocket':
        body = text.encode('latin-1')
        c.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n'
                  % len(body) + body)
        c.close()
        return
    accept = base64.b64encode(hashlib.sha1((headers['sec-websocket-key'] + GUID).encode()).digest()).decode()
    c.sendall(('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
               'Sec-WebSocket-Accept: %s\r\n\r\n' % accept).encode())
    while True:
        h = f.read(2)
        if len(h) < 2:
            break
        op, n = h[0] & 0x0f, h[1] & 0x7f
        if n == 126:
            n = int.from_bytes(f.read(2), 'big')
        elif n == 127:
            n = int.from_bytes(f.read(8), 'big')
        mask = f.read(4) if h[1] & 0x80 else b'\0\0\0\0'
        data = bytes(b ^ mask[i % 4] for i, b in enumerate(f.read(n)))
        if op == 8:
            c.sendall(b'\x88\x00')
            break
        if op in (1, 2):
            size = bytes([len(data)]) if len(data) < 126 else bytes([126]) + len(data).to_bytes(2, 'big')
            c.sendall(bytes([0x80 | op]) + size + data)
        elif op == 9:
            c.sendall(bytes([0x8A, len(data)]) + data)
    c.close()


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[1])))
s.listen(16)
while True:
    conn, _ = s.accept()
    threading.Thread(target=handle, args=(conn,), daemon=True).start()
