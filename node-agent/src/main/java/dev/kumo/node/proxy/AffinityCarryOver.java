package dev.kumo.node.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ClientIP affinity across rebuilds. Each sync deletes the table, and with it the clients its affinity sets
 * remember; so before a rebuild the proxier reads those sets ({@code nft -j list sets ip}) and the rebuild adds each
 * client back with the time it had left ({@code expires}; the set's own timeout stays the element's timeout, so a
 * later {@code update} renews it in full). Only sets the new ruleset still declares get their clients back: an
 * endpoint that is gone takes its affinity with it. A client that connects between the read and the apply may be
 * forgotten once.
 */
final class AffinityCarryOver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SET_PREFIX = "add set ip " + RulesetRenderer.TABLE + " " + ChainNames.AFFINITY_PREFIX;

    /** A remembered client: its address and the seconds it has left. */
    record Client(String ip, long expiresSeconds) {
    }

    private AffinityCarryOver() {
    }

    /** Whether the ruleset has affinity sets (only then is the current state worth reading). */
    static boolean needed(Ruleset ruleset) {
        return ruleset.lines().stream().anyMatch(line -> line.startsWith(SET_PREFIX));
    }

    /** The clients of table kumo's affinity sets, by set, from {@code nft -j list sets ip}. */
    static Map<String, List<Client>> parse(String nftJson) throws IOException {
        Map<String, List<Client>> clients = new LinkedHashMap<>();
        for (JsonNode item : JSON.readTree(nftJson).path("nftables")) {
            JsonNode set = item.path("set");
            String name = set.path("name").asText("");
            if (!RulesetRenderer.TABLE.equals(set.path("table").asText()) || !name.startsWith(ChainNames.AFFINITY_PREFIX)) {
                continue;
            }
            for (JsonNode element : set.path("elem")) {
                JsonNode elem = element.path("elem");
                // an element without an expiry is printed as its bare value; affinity elements always have one
                long expires = elem.path("expires").asLong(0);
                String ip = elem.path("val").asText("");
                if (expires > 0 && ServicePorts.isIpv4(ip)) {
                    clients.computeIfAbsent(name, n -> new ArrayList<>()).add(new Client(ip, expires));
                }
            }
        }
        return clients;
    }

    /** {@code ruleset} with the remembered clients added back to the affinity sets it declares. */
    static Ruleset restore(Ruleset ruleset, Map<String, List<Client>> clients) {
        List<String> lines = new ArrayList<>(ruleset.lines());
        List<String> owners = new ArrayList<>(ruleset.owners());
        for (int i = 0; i < ruleset.lines().size(); i++) {
            String line = ruleset.lines().get(i);
            if (!line.startsWith(SET_PREFIX)) {
                continue;
            }
            String name = line.substring(SET_PREFIX.length() - ChainNames.AFFINITY_PREFIX.length(), line.indexOf(" {"));
            List<Client> remembered = clients.getOrDefault(name, List.of());
            if (!remembered.isEmpty()) {
                lines.add("add element ip " + RulesetRenderer.TABLE + " " + name + " { " + String.join(", ",
                        remembered.stream().map(c -> c.ip() + " expires " + c.expiresSeconds() + "s").toList()) + " }");
                owners.add(ruleset.owners().get(i));
            }
        }
        return new Ruleset(lines, owners);
    }
}
