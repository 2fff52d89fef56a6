package dev.crownest.kit.auth;

import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.contracts.security.ServiceTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What this service sends on its internal calls: a {@link ServiceTokens} token naming it, minted once
 * and renewed when a third of its life is left, and the rule of where it may go (loopback, or a host
 * named in {@code crownest.service-auth.internal-hosts}), so that a client built for an outside host
 * never leaks it.
 */
public final class ServiceCredential {
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private final ServiceTokens tokens;
    private final String service;
    private final Duration ttl;
    private final Clock clock;
    private final Set<String> internalHosts;
    private volatile Minted current;

    private record Minted(String token, Instant renewAt) {}

    /**
     * @param tokens        mints with the stack's secret
     * @param service       this service's name ({@code spring.application.name})
     * @param ttl           each token's life, at most {@link ServiceTokens#MAX_TTL}
     * @param clock         real time: a token must be valid where it is checked
     * @param internalHosts hosts besides loopback that get the credential
     */
    public ServiceCredential(
            ServiceTokens tokens, String service, Duration ttl, Clock clock, List<String> internalHosts) {
        this.tokens = tokens;
        this.service = service;
        this.ttl = ttl;
        this.clock = clock;
        this.internalHosts = internalHosts.stream()
                .map(host -> host.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        tokens.mint(service, ttl); // a wrong name or life fails the start, not the first call
    }

    /** A valid token, the same one until a third of its life is left. */
    public String token() {
        Minted minted = current;
        Instant now = clock.instant();
        if (minted == null || !now.isBefore(minted.renewAt())) {
            minted = new Minted(
                    tokens.mint(service, ttl), now.plus(ttl.multipliedBy(2).dividedBy(3)));
            current = minted;
        }
        return minted.token();
    }

    /** The JDK HTTP client's request with the credential (the worker's reports, tests calling a service). */
    public HttpRequest.Builder sign(HttpRequest.Builder request) {
        return request.header(InternalHeaders.SERVICE_TOKEN, token());
    }

    /** Whether a call to {@code target} carries the credential: loopback, or a configured internal host. */
    public boolean isFor(URI target) {
        String host = target.getHost();
        if (host == null) {
            return false;
        }
        host = host.toLowerCase(Locale.ROOT);
        return host.equals("localhost")
                || LOOPBACK_V4.matcher(host).matches()
                || host.equals("[::1]")
                || host.equals("::1")
                || internalHosts.contains(host);
    }
}
