package dev.crownest.node.network;

import java.util.Set;
import java.util.function.Predicate;

/** The node's private subnet cut into /30s: slot n is the n-th /30, host side .1, sandbox side .2. */
final class AddressPool {
    private final int base;
    private final int slots;

    AddressPool(String cidr) {
        String[] parts = cidr.split("/");
        int prefix = Integer.parseInt(parts[1]);
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("subnet " + cidr + " must be between /8 and /30");
        }
        int mask = (int) (0xffffffffL << (32 - prefix));
        this.base = DeniedAddresses.ipv4(parts[0]) & mask;
        this.slots = 1 << (30 - prefix);
    }

    /** The first slot that is neither taken by us nor has its host address on some interface already. */
    int allocate(Set<Integer> taken, Predicate<String> addressInUse) {
        for (int slot = 0; slot < slots; slot++) {
            if (!taken.contains(slot) && !addressInUse.test(hostAddress(slot))) {
                return slot;
            }
        }
        throw new NetworkSetupException("no free address in the node's network subnet");
    }

    String hostAddress(int slot) {
        return DeniedAddresses.text(base + slot * 4 + 1);
    }

    String sandboxAddress(int slot) {
        return DeniedAddresses.text(base + slot * 4 + 2);
    }

    String cidr() {
        return DeniedAddresses.text(base) + "/" + (32 - Integer.numberOfTrailingZeros(slots * 4));
    }
}
