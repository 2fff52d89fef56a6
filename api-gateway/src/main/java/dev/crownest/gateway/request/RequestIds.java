package dev.crownest.gateway.request;

import org.springframework.web.server.ServerWebExchange;

import java.security.SecureRandom;

/** Request ids ({@code req_...}) and other random public identifiers the gateway mints. */
public final class RequestIds {

    /** Exchange attribute holding the request's id. */
    public static final String ATTRIBUTE = RequestIds.class.getName() + ".id";
    public static final String RESPONSE_HEADER = "x-request-id";

    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestIds() {
    }

    /** A prefixed random identifier, e.g. {@code req_k3n...}; 20 base-36 characters carry ~103 bits. */
    public static String random(String prefix) {
        StringBuilder id = new StringBuilder(prefix.length() + 20).append(prefix);
        for (int i = 0; i < 20; i++) {
            id.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return id.toString();
    }

    /** The id the {@link RequestIdFilter} gave this exchange, minting one if the filter did not run. */
    public static String of(ServerWebExchange exchange) {
        return exchange.getAttributes().computeIfAbsent(ATTRIBUTE, k -> random("req_")).toString();
    }
}
