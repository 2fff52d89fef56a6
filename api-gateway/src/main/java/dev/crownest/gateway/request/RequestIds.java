package dev.crownest.gateway.request;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import org.springframework.web.server.ServerWebExchange;

/** Request ids ({@code req_...}) and other random public identifiers the gateway mints. */
public final class RequestIds {

    /** Exchange attribute holding the request's id. */
    public static final String ATTRIBUTE = RequestIds.class.getName() + ".id";

    public static final String RESPONSE_HEADER = "x-request-id";

    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestIds() {}

    /**
     * A prefixed random identifier, e.g. {@code req_k3n...}; 20 base-36 characters carry ~103 bits.
     * One draw of 128 bits per id (not one per character): every request mints one, and each draw from
     * the system's SecureRandom takes its lock.
     */
    public static String random(String prefix) {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        long high = ByteBuffer.wrap(bits, 0, 8).getLong();
        long low = ByteBuffer.wrap(bits, 8, 8).getLong();
        char[] id = new char[20];
        // 10 digits from each 64-bit half (36^10 < 2^52, so the remainder's bias is below 2^-12)
        for (int i = 0; i < 10; i++) {
            id[i] = ALPHABET[(int) Long.remainderUnsigned(high, ALPHABET.length)];
            high = Long.divideUnsigned(high, ALPHABET.length);
            id[10 + i] = ALPHABET[(int) Long.remainderUnsigned(low, ALPHABET.length)];
            low = Long.divideUnsigned(low, ALPHABET.length);
        }
        return prefix + new String(id);
    }

    /** The id the {@link RequestIdFilter} gave this exchange, minting one if the filter did not run. */
    public static String of(ServerWebExchange exchange) {
        return exchange.getAttributes()
                .computeIfAbsent(ATTRIBUTE, k -> random("req_"))
                .toString();
    }
}
