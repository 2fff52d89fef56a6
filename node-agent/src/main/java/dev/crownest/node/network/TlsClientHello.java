package dev.crownest.node.network;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Just enough TLS to read the server name (SNI) a client asks for in its first record. */
final class TlsClientHello {
    private static final int MAX_RECORD = 16384 + 2048;

    private TlsClientHello() {}

    /** The client's first TLS record (header and body), or the first bytes as they are when it is not TLS. */
    static byte[] readRecord(InputStream in) throws IOException {
        byte[] header = in.readNBytes(5);
        if (header.length < 5 || header[0] != 0x16 || header[1] != 0x03) {
            return header;
        }
        int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
        if (length > MAX_RECORD) {
            return header;
        }
        byte[] body = in.readNBytes(length);
        byte[] record = Arrays.copyOf(header, 5 + body.length);
        System.arraycopy(body, 0, record, 5, body.length);
        return record;
    }

    /** The SNI host name of a ClientHello record, or null when there is none or it cannot be read. */
    static String serverName(byte[] record) {
        try {
            if (record.length < 9 || record[0] != 0x16 || record[5] != 0x01) {
                return null;
            }
            int p = 5 + 4 + 2 + 32; // record header, handshake header, client version, random
            p += 1 + (record[p] & 0xff); // session id
            p += 2 + u16(record, p); // cipher suites
            p += 1 + (record[p] & 0xff); // compression methods
            int end = p + 2 + u16(record, p);
            p += 2;
            while (p + 4 <= end && p + 4 <= record.length) {
                int type = u16(record, p);
                int length = u16(record, p + 2);
                p += 4;
                if (type == 0) { // server_name: list length, then entries of type, length, name
                    int q = p + 2;
                    if (record[q] == 0) {
                        int nameLength = u16(record, q + 1);
                        return new String(record, q + 3, nameLength, StandardCharsets.US_ASCII);
                    }
                    return null;
                }
                p += length;
            }
            return null;
        } catch (IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
