package dev.kumo.local.bench;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where this process's CPU goes while a scenario runs: JFR's execution samples (every Java thread, virtual threads
 * included, sampled every 10 ms with the "profile" settings), each given to the innermost frame that belongs to a
 * known part (a library or a kumo package); and the process's CPU time per bound pod. The whole local cluster runs
 * in this process, so the shares are the cluster's.
 */
final class CpuProfile implements AutoCloseable {
    /** Package prefixes and their names, most specific first; the innermost matching frame names the sample. */
    private static final List<Map.Entry<String, String>> PARTS = List.of(
            Map.entry("com.almworks.sqlite4java", "DynamoDB Local: SQLite"),
            Map.entry("com.amazonaws.services.dynamodbv2", "DynamoDB Local"),
            Map.entry("org.eclipse.jetty", "Jetty (DynamoDB Local's HTTP)"),
            Map.entry("software.amazon.awssdk", "AWS SDK (marshalling, HTTP)"),
            Map.entry("com.amazonaws", "AWS SDK v1 (DynamoDB Local)"),
            Map.entry("org.elasticmq", "ElasticMQ (SQS)"),
            Map.entry("org.apache.pekko", "ElasticMQ (SQS)"),
            Map.entry("scala.", "ElasticMQ (SQS)"),
            Map.entry("com.fasterxml.jackson", "Jackson"),
            Map.entry("sun.security", "TLS"),
            Map.entry("javax.net.ssl", "TLS"),
            Map.entry("jdk.internal.net.http", "JDK HTTP client"),
            Map.entry("sun.net.httpserver", "JDK HTTP server (the API front)"),
            Map.entry("dev.kumo.apimachinery.store", "kumo store"),
            Map.entry("dev.kumo.apiserver.auth", "kumo API: authn/authz"),
            Map.entry("dev.kumo.apiserver", "kumo API server"),
            Map.entry("dev.kumo.controllers.scheduler", "kumo scheduler"),
            Map.entry("dev.kumo.controllers", "kumo control loops (other)"),
            Map.entry("dev.kumo.local", "kumo local host and bench"),
            Map.entry("dev.kumo", "kumo (other)"));

    private final Recording recording;
    private final long cpuAtStart;

    private CpuProfile(Recording recording) {
        this.recording = recording;
        this.cpuAtStart = processCpuNanos();
    }

    static CpuProfile start() throws IOException, ParseException {
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
        recording.start();
        return new CpuProfile(recording);
    }

    /** Stops the recording and prints the shares and the CPU per pod. */
    void print(int pods, double seconds) throws IOException {
        long cpu = processCpuNanos() - cpuAtStart;
        recording.stop();
        Path file = Files.createTempFile("kumo-bench", ".jfr");
        try {
            recording.dump(file);
            Map<String, Integer> byPart = new HashMap<>();
            int samples = 0;
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                    continue;
                }
                samples++;
                byPart.merge(part(event.getStackTrace().getFrames()), 1, Integer::sum);
            }
            System.out.printf("CPU: %.0f ms of process CPU per bound pod (%.2f of %d cores busy on average); "
                            + "%d JFR execution samples by the innermost frame of a known part:%n",
                    cpu / 1e6 / pods, cpu / 1e9 / seconds, Runtime.getRuntime().availableProcessors(), samples);
            int total = Math.max(1, samples);
            byPart.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .forEach(e -> System.out.printf("  %-40s %5.1f %%%n", e.getKey(), 100.0 * e.getValue() / total));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String part(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) { // innermost first
            if (frame.getMethod() == null || frame.getMethod().getType() == null) {
                continue;
            }
            String type = frame.getMethod().getType().getName();
            for (Map.Entry<String, String> part : PARTS) {
                if (type.startsWith(part.getKey())) {
                    return part.getValue();
                }
            }
        }
        return "JDK and other";
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    @Override
    public void close() {
        recording.close();
    }
}
