package dev.crownest.node.network;

import java.util.List;
import java.util.Locale;

/**
 * Hosts a restricted sandbox may reach through the proxy: exact names, or {@code *.example.com}
 * for every subdomain of example.com (not example.com itself).
 */
record AllowList(List<String> patterns) {
    AllowList {
        patterns = patterns.stream().map(AllowList::normalize).distinct().toList();
    }

    boolean allows(String host) {
        String name = normalize(host);
        if (name.isEmpty()) {
            return false;
        }
        for (String pattern : patterns) {
            if (pattern.startsWith("*.")
                    ? name.endsWith(pattern.substring(1)) && name.length() > pattern.length() - 1
                    : pattern.equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static String normalize(String host) {
        String h = host == null ? "" : host.strip().toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
