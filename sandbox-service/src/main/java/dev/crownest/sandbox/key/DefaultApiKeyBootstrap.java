package dev.crownest.sandbox.key;

import dev.crownest.contracts.security.Scopes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Issues the default tenant's key with every scope at start-up, once: skipped when a key with that
 * hash exists. Its id is derived from the hash, so two instances starting together cannot issue two.
 */
@Component
class DefaultApiKeyBootstrap implements ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(DefaultApiKeyBootstrap.class);
    static final String NAME = "default";
    static final String ACTOR = "system:bootstrap";

    private final BootstrapProperties properties;
    private final ApiKeyViews keys;
    private final CommandGateway commands;

    DefaultApiKeyBootstrap(BootstrapProperties properties, ApiKeyViews keys, CommandGateway commands) {
        this.properties = properties;
        this.keys = keys;
        this.commands = commands;
    }

    @Override
    public void run(ApplicationArguments args) {
        String hash = properties.apiKeyHash();
        if (hash == null || hash.isBlank()) {
            return;
        }
        hash = hash.trim().toLowerCase(Locale.ROOT);
        if (keys.existsWithHash(hash)) {
            return;
        }
        String keyId = keyIdFor(hash);
        try {
            commands.sendAndWait(new IssueApiKey(keyId, properties.tenantId(), NAME, Scopes.ALL, null, hash, ACTOR));
            log.info("issued the bootstrap API key {} for tenant {}", keyId, properties.tenantId());
        } catch (AggregateStreamCreationException e) {
            log.info("bootstrap API key {} already issued", keyId);
        }
    }

    /** Stable per hash; reveals nothing usable about the secret (a hash of its hash, shortened). */
    static String keyIdFor(String secretHash) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("crownest-bootstrap:" + secretHash).getBytes(StandardCharsets.UTF_8));
            return "key_" + HexFormat.of().formatHex(digest).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
