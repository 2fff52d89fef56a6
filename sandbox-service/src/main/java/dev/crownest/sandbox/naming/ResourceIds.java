package dev.crownest.sandbox.naming;

import java.security.SecureRandom;

/** Ids that callers see: a type prefix and 20 random lower-case alphanumerics (unguessable, ~103 bits). */
public final class ResourceIds {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ResourceIds() {}

    public static String sandbox() {
        return "sbx_" + random();
    }

    public static String command() {
        return "cmd_" + random();
    }

    public static String key() {
        return "key_" + random();
    }

    public static String tenant() {
        return "ten_" + random();
    }

    /** A custom template: also its name on the nodes, whose template names allow no underscore. */
    public static String template() {
        return "tpl-" + random();
    }

    public static String project() {
        return "prj_" + random();
    }

    /** A snapshot: what one pause of a sandbox saved. */
    public static String snapshot() {
        return "snp_" + random();
    }

    /** A collected file (artifacts outlive their sandbox). */
    public static String artifact() {
        return "art_" + random();
    }

    /** A preview of a sandbox's port; its id is in the preview URL, which is useless without credentials. */
    public static String preview() {
        return "prv_" + random();
    }

    /** A tenant admin session; its id is the actor of what the admin does. */
    public static String adminSession() {
        return "adm_" + random();
    }

    private static String random() {
        char[] chars = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }
}
