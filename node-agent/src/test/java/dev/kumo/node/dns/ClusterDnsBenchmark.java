package dev.kumo.node.dns;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Queries per second that one node's cluster DNS answers, from clients in this JVM over loopback with dnsjava's
 * resolver: service A records, headless A records, NXDOMAIN (the search-path misses every unqualified name makes),
 * forwarded names (to a small upstream server in this JVM), over UDP and TCP, from 1 and 8 clients; and the pure
 * answer logic alone. The records: 1,000 ClusterIP services and 1,000 headless ones with 3 endpoints each.
 * A main, not a test: the figures depend on the machine.
 *
 * <p>Run after {@code mvn -o -q -pl node-agent -am test-compile dependency:build-classpath
 * -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test} with a JDK 21+: {@code java -cp
 * node-agent/target/classes:node-agent/target/test-classes:$(cat node-agent/target/test.classpath)
 * dev.kumo.node.dns.ClusterDnsBenchmark [seconds per row]}
 */
public final class ClusterDnsBenchmark {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int SERVICES = 1000;

    private ClusterDnsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration each = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 3);
        ClusterRecords records = new ClusterRecords(Clock.systemUTC());
        for (int i = 0; i < SERVICES; i++) {
            records.putService(MAPPER.readTree("""
                    {"metadata": {"namespace": "ns%d", "name": "svc%d"},
                     "spec": {"clusterIP": "10.96.%d.%d", "ports": [{"name": "http", "port": 80}]}}"""
                    .formatted(i % 50, i, i / 250, i % 250 + 1)));
            records.putService(MAPPER.readTree("""
                    {"metadata": {"namespace": "ns%d", "name": "headless%d"},
                     "spec": {"clusterIP": "None", "ports": [{"name": "http", "port": 80}]}}""".formatted(i % 50, i)));
            records.putSlice(MAPPER.readTree("""
                    {"metadata": {"namespace": "ns%d", "name": "headless%d-1",
                       "labels": {"kubernetes.io/service-name": "headless%d"}},
                     "addressType": "IPv4",
                     "endpoints": [{"addresses": ["10.244.%d.1"]}, {"addresses": ["10.244.%d.2"]},
                                   {"addresses": ["10.244.%d.3"]}],
                     "ports": [{"name": "http", "protocol": "TCP", "port": 8080}]}"""
                    .formatted(i % 50, i, i, i % 250, i % 250, i % 250)));
        }
        ZoneAnswers zone = new ZoneAnswers(records, Name.fromConstantString("cluster.local."), 5, PodRecords.INSECURE,
                List.of());
        try (UpstreamTestServer upstream = new UpstreamTestServer(Map.of("outside.example.", "192.0.2.7"));
             DnsServer server = DnsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                     new QueryHandler(zone, new Upstream(List.of(upstream.address()), Duration.ofSeconds(2))))) {
            pure(zone, each); // warm-up
            System.out.printf(Locale.ROOT, "pure answers (1 thread): %,.0f/s%n", pure(zone, each));
            System.out.println("query                     transport  clients   queries/s");
            for (String query : List.of("svc7.ns7.svc.cluster.local.", "headless7.ns7.svc.cluster.local.",
                    "missing.ns7.svc.cluster.local.", "outside.example.")) {
                for (boolean tcp : List.of(false, true)) {
                    for (int clients : List.of(1, 8)) {
                        run(server.address(), query, tcp, clients, Duration.ofMillis(500)); // warm-up
                        double rate = run(server.address(), query, tcp, clients, each);
                        System.out.printf(Locale.ROOT, "%-34s %-4s %7d %11.0f%n", query, tcp ? "tcp" : "udp",
                                clients, rate);
                    }
                }
            }
        }
        System.exit(0);
    }

    private static double pure(ZoneAnswers zone, Duration duration) {
        Name name = Name.fromConstantString("headless7.ns7.svc.cluster.local.");
        long end = System.nanoTime() + duration.toNanos();
        long begin = System.nanoTime();
        long count = 0;
        while (System.nanoTime() < end) {
            if (!(zone.answer(name, Type.A) instanceof Answer.Authoritative)) {
                throw new IllegalStateException("not answered locally");
            }
            count++;
        }
        return count / ((System.nanoTime() - begin) / 1e9);
    }

    /** Queries per second from {@code clients} threads, each asking {@code name} in a loop for {@code duration}. */
    private static double run(InetSocketAddress server, String name, boolean tcp, int clients, Duration duration)
            throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromConstantString(name), Type.A, DClass.IN));
        long begin = System.nanoTime();
        long end = begin + duration.toNanos();
        List<Future<Long>> counts = new ArrayList<>();
        try (ExecutorService executor = Executors.newFixedThreadPool(clients)) {
            for (int c = 0; c < clients; c++) {
                counts.add(executor.submit(() -> {
                    SimpleResolver resolver = new SimpleResolver(server);
                    resolver.setTCP(tcp);
                    long count = 0;
                    while (System.nanoTime() < end) {
                        Message response = resolver.send(query);
                        if (response.getRcode() != Rcode.NOERROR && response.getRcode() != Rcode.NXDOMAIN) {
                            throw new IllegalStateException(name + ": " + Rcode.string(response.getRcode()));
                        }
                        count++;
                    }
                    return count;
                }));
            }
            long total = 0;
            for (Future<Long> count : counts) {
                total += count.get();
            }
            return total / ((System.nanoTime() - begin) / 1e9);
        }
    }
}
