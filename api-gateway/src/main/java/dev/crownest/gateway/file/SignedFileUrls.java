package dev.crownest.gateway.file;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.gateway.key.CanonicalBase64Url;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Staged signed URLs of the files API: {@code /v1/signed/files?sandbox=&path=&op=&tenant=&by=&exp=&sig=}.
 * {@code sig} is an HMAC-SHA256, keyed by {@code crownest.gateway.signing-secret} (the same on every
 * gateway), over the operation, sandbox, tenant, the key that made it, the normalized path and the
 * expiry, each length-prefixed so no field can bleed into another. A URL therefore reads or writes
 * one file of one sandbox until it expires, and changing any parameter breaks it. Checked with a
 * constant-time compare, before the expiry, so that a forged expiry is "invalid", never "expired".
 */
@Component
class SignedFileUrls {
    static final String PATH = "/v1/signed/files";
    private static final Logger log = LoggerFactory.getLogger(SignedFileUrls.class);
    private static final String ALGORITHM = "HmacSHA256";

    /** What a URL allows, and the HTTP methods that do it. */
    enum Operation {
        READ("read", Set.of(HttpMethod.GET)),
        WRITE("write", Set.of(HttpMethod.PUT, HttpMethod.POST));

        final String wire;
        final Set<HttpMethod> methods;

        Operation(String wire, Set<HttpMethod> methods) {
            this.wire = wire;
            this.methods = methods;
        }

        static Operation of(String wire) {
            for (Operation op : values()) {
                if (op.wire.equals(wire)) {
                    return op;
                }
            }
            return null;
        }
    }

    /** The content of a URL: who made it, for what, until when. */
    record Grant(
            Operation operation, String sandboxId, String tenantId, String keyId, String path, Instant expiresAt) {}

    private final SecretKeySpec key;
    private final Clock clock;

    SignedFileUrls(@Value("${crownest.gateway.signing-secret:}") String secret, Clock clock) {
        this.clock = clock;
        if (secret == null || secret.isBlank()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            this.key = new SecretKeySpec(random, ALGORITHM);
            log.warn(
                    "crownest.gateway.signing-secret is not set: signed file URLs are signed with a random key of this "
                            + "gateway alone and stop working when it restarts");
        } else {
            if (secret.length() < 32) {
                throw new IllegalStateException("crownest.gateway.signing-secret must have at least 32 characters");
            }
            this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        }
    }

    Instant now() {
        return clock.instant();
    }

    /** The URL's path and query for {@code grant}, relative to the gateway's base URL. */
    String pathAndQuery(Grant grant) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("sandbox", grant.sandboxId());
        values.put("path", grant.path());
        values.put("op", grant.operation().wire);
        values.put("tenant", grant.tenantId());
        values.put("by", grant.keyId());
        values.put("exp", Long.toString(grant.expiresAt().getEpochSecond()));
        values.put("sig", signature(grant));
        UriComponentsBuilder uri = UriComponentsBuilder.fromPath(PATH);
        values.keySet().forEach(name -> uri.queryParam(name, "{" + name + "}"));
        return uri.encode().buildAndExpand(values).toUriString();
    }

    /**
     * The grant of a presented URL used with {@code method}: 403 {@code signed_url_invalid} when a
     * parameter is missing or the signature does not match, 403 {@code signed_url_expired} after its
     * expiry, 405 for a method its operation does not allow.
     */
    Grant verify(MultiValueMap<String, String> query, HttpMethod method) {
        String sandbox = query.getFirst("sandbox");
        String path = query.getFirst("path");
        Operation operation = Operation.of(query.getFirst("op"));
        String tenant = query.getFirst("tenant");
        String by = query.getFirst("by");
        String exp = query.getFirst("exp");
        String sig = query.getFirst("sig");
        if (sandbox == null
                || path == null
                || operation == null
                || tenant == null
                || by == null
                || exp == null
                || sig == null
                || !exp.matches("[0-9]{1,12}")) {
            throw invalid();
        }
        Grant grant = new Grant(operation, sandbox, tenant, by, path, Instant.ofEpochSecond(Long.parseLong(exp)));
        // canonical bytes only: a padded or otherwise re-spelled signature is another URL, never this one
        byte[] presented = CanonicalBase64Url.decode(sig).orElseThrow(SignedFileUrls::invalid);
        if (!MessageDigest.isEqual(presented, mac(grant))) {
            throw invalid();
        }
        if (!clock.instant().isBefore(grant.expiresAt())) {
            throw new ApiException(
                    HttpStatus.FORBIDDEN.value(),
                    "permission",
                    "signed_url_expired",
                    "this signed URL expired at " + grant.expiresAt() + "; ask for a new one");
        }
        if (!operation.methods.contains(method)) {
            throw new MethodNotAllowedException(method, operation.methods);
        }
        return grant;
    }

    static ApiException invalid() {
        return new ApiException(
                HttpStatus.FORBIDDEN.value(),
                "permission",
                "signed_url_invalid",
                "this signed URL is not valid (altered or incomplete)");
    }

    private String signature(Grant grant) {
        return CanonicalBase64Url.encode(mac(grant));
    }

    private byte[] mac(Grant grant) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            StringBuilder data = new StringBuilder("crownest-signed-file-url-v1\n");
            for (String field : new String[] {
                grant.operation().wire,
                grant.sandboxId(),
                grant.tenantId(),
                grant.keyId(),
                grant.path(),
                Long.toString(grant.expiresAt().getEpochSecond())
            }) {
                data.append(field.length()).append(':').append(field).append('\n');
            }
            return mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
