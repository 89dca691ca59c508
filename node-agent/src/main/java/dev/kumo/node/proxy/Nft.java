package dev.kumo.node.proxy;

import java.io.IOException;
import java.util.List;

/** nftables' {@code nft}, fed a transaction on its standard input. */
public final class Nft {
    private final HostCommand host;

    public Nft(HostCommand host) {
        this.host = host;
    }

    /** Applies the transaction ({@code nft -f -}): all of it, or nothing when it fails. */
    public HostCommand.Result apply(String transaction) throws IOException, InterruptedException {
        return host.run(List.of("nft", "-f", "-"), transaction);
    }

    /** Checks the transaction without applying it ({@code nft -c -f -}): syntax, and references against the kernel. */
    public HostCommand.Result check(String transaction) throws IOException, InterruptedException {
        return host.run(List.of("nft", "-c", "-f", "-"), transaction);
    }

    /** The sets of the {@code ip} family's tables, with their elements, as JSON ({@code nft -j list sets ip}). */
    public HostCommand.Result listSetsJson() throws IOException, InterruptedException {
        return host.run(List.of("nft", "-j", "list", "sets", "ip"), "");
    }

    /** Whether table {@code family name} exists ({@code nft list tables}, which lists names only). */
    public boolean hasTable(String family, String name) throws IOException, InterruptedException {
        HostCommand.Result tables = host.run(List.of("nft", "list", "tables", family), "");
        if (!tables.succeeded()) {
            throw new IOException("nft list tables " + family + " failed: " + tables.output());
        }
        return tables.output().lines().anyMatch(line -> line.strip().equals("table " + family + " " + name));
    }

    /** The table as nft lists it. */
    public HostCommand.Result list(String family, String table) throws IOException, InterruptedException {
        return host.run(List.of("nft", "list", "table", family, table), "");
    }
}
