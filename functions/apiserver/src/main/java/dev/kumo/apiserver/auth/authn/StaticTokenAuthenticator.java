package dev.kumo.apiserver.auth.authn;

import dev.kumo.apiserver.auth.UserInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tokens listed in a file, in kube-apiserver's {@code --token-auth-file} format: one {@code token,user,uid,"g1,g2"}
 * per line. The local cluster lists its admin and its components here. Tokens are kept only as SHA-256 digests and
 * looked up by digest, so that the comparison does not leak a token's prefix through timing.
 */
public final class StaticTokenAuthenticator implements TokenAuthenticator {
    private final Map<String, UserInfo> usersByDigest;

    public StaticTokenAuthenticator(Map<String, UserInfo> usersByToken) {
        Map<String, UserInfo> digests = new HashMap<>();
        usersByToken.forEach((token, user) -> digests.put(digest(token), user));
        this.usersByDigest = Map.copyOf(digests);
    }

    /** Reads a token file; a malformed line is an error that names the line (never the token). */
    public static StaticTokenAuthenticator fromFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + file, e);
        }
        Map<String, UserInfo> users = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = csvFields(line);
            if (fields.size() < 3 || fields.get(0).isEmpty() || fields.get(1).isEmpty()) {
                throw new IllegalArgumentException("token file " + file + " line " + (i + 1)
                        + ": expected token,user,uid[,\"group1,group2\"]");
            }
            List<String> groups = fields.size() > 3 && !fields.get(3).isEmpty()
                    ? Arrays.stream(fields.get(3).split(",")).map(String::strip).toList() : List.of();
            users.put(fields.get(0), new UserInfo(fields.get(1), fields.get(2), groups, Map.of()));
        }
        return new StaticTokenAuthenticator(users);
    }

    @Override
    public Optional<UserInfo> authenticate(String token) {
        return Optional.ofNullable(usersByDigest.get(digest(token)));
    }

    private static String digest(String token) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Splits one CSV line, honouring double quotes (the groups column is quoted when it holds commas). */
    private static List<String> csvFields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
