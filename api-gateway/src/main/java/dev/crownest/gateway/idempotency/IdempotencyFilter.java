package dev.crownest.gateway.idempotency;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.gateway.GatewayProperties;
import dev.crownest.gateway.file.FileUploads;
import dev.crownest.gateway.key.ApiKeyAuthentication;
import dev.crownest.gateway.key.SecretHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code Idempotency-Key} on every mutating {@code /v1/} request, with Stripe's semantics: the same key
 * with the same request within the retention answers the first answer again (status and body, header
 * {@code Idempotent-Replayed: true}) without doing the work again, also when both arrive at once (the
 * second waits for the first); the same key with another request is a 422.
 *
 * <p>Only answers the handlers gave are kept. A request refused by the gateway itself (authentication,
 * scope, validation, an unreachable service) gives the key back, so the client can fix it and retry.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class IdempotencyFilter implements WebFilter {
    static final String HEADER = "Idempotency-Key";
    static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);
    private static final Set<HttpMethod> MUTATING =
            Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);
    private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final IdempotencyRecords records;
    private final IdempotencyProperties settings;
    private final Clock clock;
    private final int maxBodyBytes;

    IdempotencyFilter(
            IdempotencyRecords records, IdempotencyProperties settings, GatewayProperties gateway, Clock clock) {
        this.records = records;
        this.settings = settings;
        this.clock = clock;
        this.maxBodyBytes = (int) gateway.gateway().maxBodySize().toBytes();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String key = request.getHeaders().getFirst(HEADER);
        String credential = credential(request.getHeaders());
        if (key == null
                || credential == null
                || !MUTATING.contains(request.getMethod())
                || !request.getPath().value().startsWith("/v1/")
                || FileUploads.carriesFileContent(request)) {
            // Without a credential the request is refused as unauthenticated further on: nothing to remember.
            // File content is idempotent by itself and too large to hold for a fingerprint (FileUploads).
            return chain.filter(exchange);
        }
        if (!VALID_KEY.matcher(key).matches()) {
            return Mono.error(ApiException.badRequest(
                    "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 visible ASCII characters"));
        }
        return DataBufferUtils.join(request.getBody(), maxBodyBytes)
                .map(IdempotencyFilter::drain)
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    var idempotent = new IdempotentRequest(SecretHash.of(credential), key, fingerprint(request, body));
                    Instant giveUpAt = clock.instant().plus(settings.maxWait());
                    return attempt(exchange, chain, idempotent, body, giveUpAt);
                })
                .onErrorMap(DataAccessException.class, e -> {
                    log.warn("idempotency store unavailable: {}", e.getMessage());
                    return ApiException.unavailable(
                            "idempotency_unavailable", "idempotent requests cannot be served right now, retry shortly");
                });
    }

    private Mono<Void> attempt(
            ServerWebExchange exchange,
            WebFilterChain chain,
            IdempotentRequest request,
            byte[] body,
            Instant giveUpAt) {
        Instant now = clock.instant();
        return records.claim(request, now, now.minus(settings.retention()), now.plus(settings.lease()))
                .flatMap(claimed -> claimed
                        ? execute(exchange, chain, request, body)
                        : records.find(request, now.minus(settings.retention()))
                                .map(Optional::of)
                                .defaultIfEmpty(Optional.empty())
                                // Not switchIfEmpty after the answer: a replay is a Mono<Void>, always empty, and
                                // would be followed by a second attempt that wrote to the committed response
                                // (the UnsupportedOperationException logged on every replay, issue 15 F13).
                                .flatMap(existing -> existing.isPresent()
                                        ? answerFrom(existing.get(), exchange, chain, request, body, giveUpAt)
                                        // gone between claim and read: the first request gave the key back; claim it
                                        // again
                                        : attempt(exchange, chain, request, body, giveUpAt)));
    }

    private Mono<Void> answerFrom(
            IdempotencyRecord existing,
            ServerWebExchange exchange,
            WebFilterChain chain,
            IdempotentRequest request,
            byte[] body,
            Instant giveUpAt) {
        if (!existing.fingerprint().equals(request.fingerprint())) {
            return Mono.error(new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY.value(),
                    "idempotency_error",
                    "idempotency_key_reused",
                    "this Idempotency-Key was used with another request (method, path or body); use a new key"));
        }
        if (existing.done()) {
            return replay(existing, exchange.getResponse());
        }
        if (clock.instant().isAfter(giveUpAt)) {
            return Mono.error(new ApiException(
                    HttpStatus.CONFLICT.value(),
                    "idempotency_error",
                    "idempotency_request_in_progress",
                    "a request with this Idempotency-Key is still in progress; retry later"));
        }
        return Mono.delay(settings.pollInterval())
                .then(Mono.defer(() -> attempt(exchange, chain, request, body, giveUpAt)));
    }

    private Mono<Void> execute(
            ServerWebExchange exchange, WebFilterChain chain, IdempotentRequest request, byte[] body) {
        var response = new CapturingResponse(
                exchange.getResponse(), exchange.getRequest().getPath().value());
        ServerWebExchange replayable = exchange.mutate()
                .request(withBody(exchange.getRequest(), body))
                .response(response)
                .build();
        return chain.filter(replayable)
                .then(Mono.defer(() -> records.complete(request, response.captured())))
                .onErrorResume(
                        failure -> records.release(request).onErrorComplete().then(Mono.error(failure)))
                // The client went away mid-request. Before an answer began, the outcome is unknown to us: give the
                // key back. Once a streamed answer began, its command runs whatever the client does: keep the key,
                // so a retry is the 409 naming that command, never a second run.
                .doOnCancel(() -> (response.streamed()
                                ? records.complete(request, response.captured())
                                : records.release(request))
                        .subscribe(null, e -> log.warn("could not settle idempotency key: {}", e.getMessage())));
    }

    private static Mono<Void> replay(IdempotencyRecord record, ServerHttpResponse response) {
        if (record.withheld() == CapturedResponse.Withheld.STREAM) {
            return Mono.error(new ApiException(
                    HttpStatus.CONFLICT.value(),
                    "idempotency_error",
                    "idempotent_stream_not_replayable",
                    "the first request with this Idempotency-Key streamed its answer, which is not kept; read its "
                            + "command's record with GET "
                            + (record.location() == null ? "/v1/sandboxes/{id}/commands" : record.location())));
        }
        if (record.withheld() == CapturedResponse.Withheld.SECRET) {
            return Mono.error(new ApiException(
                    HttpStatus.CONFLICT.value(),
                    "idempotency_error",
                    "idempotent_secret_not_replayable",
                    "the first request with this Idempotency-Key was done (status " + record.status()
                            + ") and its answer "
                            + "carried a secret, which is shown once and never stored; list the resources to find it"));
        }
        response.setRawStatusCode(record.status());
        HttpHeaders headers = response.getHeaders();
        if (record.contentType() != null) {
            headers.setContentType(MediaType.parseMediaType(record.contentType()));
        }
        if (record.location() != null) {
            headers.set(HttpHeaders.LOCATION, record.location());
        }
        headers.set(REPLAYED_HEADER, "true");
        return response.writeWith(Mono.just(response.bufferFactory().wrap(record.body())));
    }

    /** Drops records past their retention; claims ignore them anyway, this keeps the table small. */
    @Scheduled(fixedDelayString = "${crownest.idempotency.purge-interval:10m}", initialDelayString = "1m")
    void purgeExpired() {
        records.purge(clock.instant().minus(settings.retention()))
                .subscribe(
                        n -> {
                            if (n > 0) {
                                log.info("purged {} expired idempotency records", n);
                            }
                        },
                        e -> log.warn("idempotency purge failed: {}", e.getMessage()));
    }

    private static String credential(HttpHeaders headers) {
        String key = headers.getFirst(ApiKeyAuthentication.API_KEY_HEADER);
        if (key != null && !key.isBlank()) {
            return key.trim();
        }
        String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
        return authorization == null || authorization.isBlank() ? null : authorization.trim();
    }

    private static String fingerprint(ServerHttpRequest request, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((request.getMethod().name()
                            + ' '
                            + request.getURI().getRawPath()
                            + '?'
                            + (request.getURI().getRawQuery() == null
                                    ? ""
                                    : request.getURI().getRawQuery())
                            + '\n')
                    .getBytes(StandardCharsets.UTF_8));
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] drain(DataBuffer buffer) {
        byte[] bytes = new byte[buffer.readableByteCount()];
        buffer.read(bytes);
        DataBufferUtils.release(buffer);
        return bytes;
    }

    private static ServerHttpRequest withBody(ServerHttpRequest request, byte[] body) {
        return new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
            }
        };
    }
}
