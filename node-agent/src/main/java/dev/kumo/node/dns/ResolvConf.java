package dev.kumo.node.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A resolver configuration: the nameservers, search domains and options of a {@code resolv.conf}, as the kubelet
 * reads the host's ({@code parseResolvConf} in {@code pkg/kubelet/network/dns}) and as the CRI's
 * {@code DNSConfig} carries a pod's: {@code nameserver} lines accumulate, the last {@code search} line and the last
 * {@code options} line win, search domains lose a trailing dot.
 */
public record ResolvConf(List<String> nameservers, List<String> searches, List<String> options) {
    /** The host's resolver configuration, where the kubelet reads it by default ({@code --resolv-conf}). */
    public static final Path HOST_PATH = Path.of("/etc/resolv.conf");

    public ResolvConf {
        nameservers = List.copyOf(nameservers);
        searches = List.copyOf(searches);
        options = List.copyOf(options);
    }

    /** Parses the text of a resolv.conf; lines it does not know (domain, sortlist, comments) are skipped. */
    public static ResolvConf parse(String text) {
        List<String> nameservers = new ArrayList<>();
        List<String> searches = List.of();
        List<String> options = List.of();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split("\\s+");
            switch (fields[0]) {
                case "nameserver" -> {
                    if (fields.length >= 2) {
                        nameservers.add(fields[1]);
                    }
                }
                case "search" -> {
                    List<String> domains = new ArrayList<>();
                    for (int i = 1; i < fields.length; i++) {
                        domains.add(fields[i].endsWith(".") ? fields[i].substring(0, fields[i].length() - 1)
                                : fields[i]);
                    }
                    searches = domains;
                }
                case "options" -> options = List.of(fields).subList(1, fields.length);
                default -> {
                }
            }
        }
        return new ResolvConf(nameservers, searches, options);
    }

    /** Reads and parses {@code path}. */
    public static ResolvConf read(Path path) {
        try {
            return parse(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the resolver configuration " + path, e);
        }
    }

    /** The file as the kubelet writes it into a pod (and as a CRI runtime writes a sandbox's DNSConfig). */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (String nameserver : nameservers) {
            text.append("nameserver ").append(nameserver).append('\n');
        }
        if (!searches.isEmpty()) {
            text.append("search ").append(String.join(" ", searches)).append('\n');
        }
        if (!options.isEmpty()) {
            text.append("options ").append(String.join(" ", options)).append('\n');
        }
        return text.toString();
    }
}
