package dev.crownest.sandbox.lifecycle;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.event.NetworkMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules of a create: the bounds of its shape and TTL (an extension's too), its network and its
 * allowed hosts, checked by {@link SandboxAggregate}'s create handler and, before quota admission, by
 * the controller.
 */
final class CreateSandboxRules {
    static final long MIN_TTL_MS = 1_000;
    static final long MAX_TTL_MS = 86_400_000;
    static final int MAX_CPU = 8;
    static final int MIN_MEMORY_MB = 128;
    static final int MAX_MEMORY_MB = 16_384;
    static final int MIN_DISK_MB = 64;
    static final int MAX_DISK_MB = 65_536;
    static final int MAX_ALLOWED_HOSTS = 100;
    private static final Pattern ALLOWED_HOST =
            Pattern.compile("(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private CreateSandboxRules() {}

    /**
     * The create's own rules. Also checked by the controller before quota admission, so a malformed
     * create gets its precise error and never takes a quota slot.
     */
    static void validate(CreateSandbox command, TemplateCatalog templates, NetworkPolicy networks) {
        if (command.template() == null || !templates.offers(command.template())) {
            throw ApiException.badRequest(
                    "unknown_template",
                    "unknown template '" + command.template() + "'; available: "
                            + String.join(", ", templates.templates()));
        }
        if (command.ttlMs() < MIN_TTL_MS || command.ttlMs() > MAX_TTL_MS) {
            throw ApiException.badRequest("invalid_ttl", "ttlMs must be between " + MIN_TTL_MS + " and " + MAX_TTL_MS);
        }
        if (command.network() == NetworkMode.OPEN && !networks.allowsOpen(command.tenantId())) {
            throw ApiException.forbidden(
                    "network_open_not_allowed",
                    "network 'open' is not enabled for this tenant; use 'restricted' with allowedHosts");
        }
        if (command.network() != NetworkMode.RESTRICTED
                && command.allowedHosts() != null
                && !command.allowedHosts().isEmpty()) {
            // Silently ignoring them would leave the caller believing the sandbox can reach those hosts.
            throw ApiException.badRequest(
                    "allowed_hosts_need_restricted",
                    "allowedHosts apply to network 'restricted' only, not '"
                            + command.network().wire() + "'");
        }
        if (command.cpu() < 1 || command.cpu() > MAX_CPU) {
            throw ApiException.badRequest("invalid_cpu", "cpu must be between 1 and " + MAX_CPU);
        }
        if (command.memoryMb() < MIN_MEMORY_MB || command.memoryMb() > MAX_MEMORY_MB) {
            throw ApiException.badRequest(
                    "invalid_memory", "memoryMb must be between " + MIN_MEMORY_MB + " and " + MAX_MEMORY_MB);
        }
        if (command.diskMb() < MIN_DISK_MB || command.diskMb() > MAX_DISK_MB) {
            throw ApiException.badRequest(
                    "invalid_disk", "diskMb must be between " + MIN_DISK_MB + " and " + MAX_DISK_MB);
        }
        copyHosts(command.allowedHosts());
    }

    /** Host names as the egress proxy matches them: lower case; {@code *.example.com} allows the subdomains. */
    static List<String> copyHosts(List<String> hosts) {
        if (hosts == null) {
            return List.of();
        }
        if (hosts.size() > MAX_ALLOWED_HOSTS) {
            throw ApiException.badRequest("invalid_allowed_hosts", "at most " + MAX_ALLOWED_HOSTS + " allowedHosts");
        }
        return hosts.stream()
                .map(h -> {
                    if (h == null
                            || !ALLOWED_HOST.matcher(h.toLowerCase(Locale.ROOT)).matches()) {
                        throw ApiException.badRequest(
                                "invalid_allowed_hosts",
                                "allowedHosts entries are host names such as pypi.org or *.example.com, got '" + h
                                        + "'");
                    }
                    return h.toLowerCase(Locale.ROOT);
                })
                .distinct()
                .toList();
    }

    static Map<String, String> copy(Map<String, String> map, String code) {
        if (map == null) {
            return Map.of();
        }
        if (map.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
            throw ApiException.badRequest(code, "keys and values must be strings, not null");
        }
        return Map.copyOf(map);
    }
}
