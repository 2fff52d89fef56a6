package dev.crownest.kit.seal;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * The {@link EnvSeal} of the services that carry env values (sandbox-service seals, the worker opens),
 * keyed by {@code crownest.sealing-key} (env {@code CROWNEST_SEALING_KEY}; {@code ./crownest up}
 * generates it once per CROWNEST_HOME). Unset: a random key of this process alone, which only a test
 * that runs the sealer and the opener in one JVM can use; a warning says so.
 */
@Configuration(proxyBeanMethods = false)
public class EnvSealConfiguration {
    private static final Logger log = LoggerFactory.getLogger(EnvSealConfiguration.class);

    /** Lazy: made only in a service that injects it, so the others neither need the key nor warn. */
    @Bean
    @Lazy
    EnvSeal envSeal(@Value("${crownest.sealing-key:}") String secret) {
        if (secret.isBlank()) {
            log.warn("crownest.sealing-key is not set: env values are sealed under a key of this process alone");
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return new EnvSeal(HexFormat.of().formatHex(random));
        }
        return new EnvSeal(secret);
    }
}
