package dev.kumo.controllers.replicaset;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The names a replica set gives its pods: {@code <prefix><5 characters>} like the API's generateName, but the
 * five characters are not random: they are a hash of the replica set's uid and a slot number, so every sync that
 * sees the same pods picks the same names for the pods it is missing. Two syncs of one replica set that race
 * therefore create the same names and the API refuses the second create of each (409 AlreadyExists), where random
 * names would make both creates succeed and double the shortfall.
 *
 * <p>Slot {@code i}'s name is the {@code i}-th distinct name of the sequence {@code hash(uid, 0), hash(uid, 1)...}
 * (a repeated hash is skipped, so slots never share a name). A sync that needs {@code n} pods takes the first
 * {@code n} names that no pod in the namespace holds. If a racing sync saw the same pods plus some that another
 * racer created meanwhile, the names it picks are a subset of the other's (the created ones were the lowest free
 * names), so racers together create each missing replica once. The one exception: a racer that still sees a pod of
 * the replica set terminating (its name taken) and one that sees it gone pick different names for that replica;
 * the next sync deletes the one surplus pod.
 */
public final class PodSlots {
    /** {@code utilrand}'s alphabet: no vowels, no confusable characters. */
    static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    static final int SUFFIX_LENGTH = 5;
    /** The API's generateName keeps at most 58 characters of the base, for a 63-character name. */
    static final int MAX_PREFIX_LENGTH = 63 - SUFFIX_LENGTH;

    private final String prefix;
    private final String uid;

    public PodSlots(String replicaSetName, String replicaSetUid) {
        this.prefix = prefix(replicaSetName);
        this.uid = replicaSetUid;
    }

    /** The generateName base Kubernetes gives a controller's pods: {@code <name>-}, cut to 58 characters. */
    public static String prefix(String controllerName) {
        String base = controllerName + "-";
        return base.length() > MAX_PREFIX_LENGTH ? base.substring(0, MAX_PREFIX_LENGTH) : base;
    }

    public String prefix() {
        return prefix;
    }

    /** The first {@code count} slot names that none of {@code taken} holds, lowest slots first. */
    public List<String> freeNames(Set<String> taken, int count) {
        List<String> names = new ArrayList<>(count);
        Set<String> seen = new HashSet<>();
        for (long slot = 0; names.size() < count; slot++) {
            String name = prefix + suffix(slot);
            if (seen.add(name) && !taken.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private String suffix(long slot) {
        byte[] digest = sha256(uid + "/" + slot);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (digest[i] & 0xff);
        }
        value = value & Long.MAX_VALUE;
        StringBuilder suffix = new StringBuilder(SUFFIX_LENGTH);
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            suffix.append(ALPHABET.charAt((int) (value % ALPHABET.length())));
            value /= ALPHABET.length();
        }
        return suffix.toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
