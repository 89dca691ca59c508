package dev.kumo.local;

import dev.kumo.node.main.AgentMain;
import dev.kumo.node.main.AgentSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One node's agent as a process of its own inside the node's network namespace, as systemd runs it on a machine
 * ({@code kumo-node-agent.service}): {@code nsenter --net=/run/netns/<ns> java ... AgentMain <dir>/agent.conf},
 * with this JVM's class path. Its sockets live in the node's namespace (the kubelet endpoint on the node's address,
 * port 10250; cluster DNS on port 53), and it reaches the API across the node network like any machine's agent. Its
 * output goes to {@code <dir>/agent.log}.
 *
 * <p>Like systemd's {@code Restart=always}, an agent that exits without being asked (killed, crashed, a join that
 * timed out) is started again after {@link #RESTART_DELAY}; it then adopts the pods it finds running in containerd.
 * {@link #stop} ends it for good (SIGTERM, then SIGKILL after {@link #STOP_TIMEOUT}). An agent outliving a cluster
 * killed with SIGKILL is found again by its settings file on the command line and killed at the next start
 * ({@link #killLeftover}).
 */
final class AgentProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentProcess.class);
    static final Duration RESTART_DELAY = Duration.ofSeconds(2);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    static final String SETTINGS_FILE = "agent.conf";
    static final String READY_FILE = "agent.ready";
    static final String LOG_FILE = "agent.log";
    /** A log this large is kept as {@code agent.log.1} when the node starts again, and a new one begun. */
    static final long LOG_ROTATE_BYTES = 16L << 20;
    /**
     * The JVM's options and class path, as a {@code java @file}: the command line stays short enough to read in
     * {@code ps} (and for {@code /proc/<pid>/cmdline} readers that stop at a page).
     */
    static final String JVM_ARGS_FILE = "agent.jvm.args";
    /**
     * A small JVM per node: serial GC, a bounded heap, the client compiler only (an agent waits on the API and
     * containerd; C2's compile threads would cost the 2 cores more than they give back).
     */
    private static final List<String> JVM_OPTIONS = List.of("-Xms16m", "-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED");
    private static final String MAIN = AgentMain.class.getName();

    private final String node;
    private final Path dir;
    private final String networkNamespace;
    private final Path readyFile;
    private final Object lock = new Object();
    private Process process;
    private boolean stopping;
    private int restarts;

    private AgentProcess(String node, Path dir, String networkNamespace, Path readyFile) {
        this.node = node;
        this.dir = dir;
        this.networkNamespace = networkNamespace;
        this.readyFile = readyFile;
    }

    /**
     * Writes the agent's settings and its bootstrap token (mode 600) under {@code dir}, starts it in
     * {@code networkNamespace} and returns once it has joined (written the ready file its settings name), or throws
     * with the end of its log when it exits or {@code joinTimeout} passes first.
     */
    static AgentProcess start(String node, Path dir, String networkNamespace, AgentSettings settings,
                              String bootstrapToken, Duration joinTimeout) throws IOException, InterruptedException {
        if (settings.readyFile() == null) {
            throw new IllegalArgumentException("the agent of " + node + " needs a ready file to say it joined");
        }
        Files.createDirectories(dir);
        Path tokenFile = settings.bootstrapTokenFile();
        Files.deleteIfExists(tokenFile);
        Files.createFile(tokenFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tokenFile, bootstrapToken + "\n", StandardCharsets.US_ASCII);
        settings.write(dir.resolve(SETTINGS_FILE));
        rotateLog(dir);
        AgentProcess agent = new AgentProcess(node, dir, networkNamespace, settings.readyFile());
        try {
            agent.launch();
            agent.awaitJoined(joinTimeout);
            return agent;
        } catch (IOException | InterruptedException | RuntimeException e) {
            agent.stop();
            throw e;
        }
    }

    /** Keeps one earlier log of a node whose log grew past {@link #LOG_ROTATE_BYTES}; a restart appends. */
    static void rotateLog(Path dir) throws IOException {
        Path log = dir.resolve(LOG_FILE);
        if (Files.exists(log) && Files.size(log) > LOG_ROTATE_BYTES) {
            Files.move(log, dir.resolve(LOG_FILE + ".1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Where the agent whose files are in {@code dir} reads its settings. */
    static Path settingsFile(Path dir) {
        return dir.resolve(SETTINGS_FILE);
    }

    /** Where an agent whose files are in {@code dir} says it has joined (the settings name it). */
    static Path readyFile(Path dir) {
        return dir.resolve(READY_FILE);
    }

    private void launch() throws IOException {
        synchronized (lock) {
            Files.deleteIfExists(readyFile);
            List<String> jvmArgs = new ArrayList<>(JVM_OPTIONS);
            jvmArgs.addAll(List.of("-cp", System.getProperty("java.class.path")));
            Files.writeString(dir.resolve(JVM_ARGS_FILE), String.join("\n", jvmArgs.stream()
                    .map(AgentProcess::quoted).toList()) + "\n", StandardCharsets.UTF_8);
            List<String> command = List.of("nsenter", "--net=/run/netns/" + networkNamespace,
                    ProcessHandle.current().info().command().orElse("java"), "@" + dir.resolve(JVM_ARGS_FILE),
                    "-Dkumo.node=" + node, MAIN, settingsFile(dir).toString());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(LOG_FILE).toFile()));
            // glibc gives each thread's first allocation an arena of its own: most of a small JVM's native memory
            builder.environment().put("MALLOC_ARENA_MAX", "2");
            process = builder.start();
            LOG.atInfo().addKeyValue("node", node).addKeyValue("pid", process.pid())
                    .addKeyValue("namespace", networkNamespace).addKeyValue("log", dir.resolve(LOG_FILE))
                    .log("node agent process started");
            Process started = process;
            started.onExit().thenAccept(this::exited);
        }
    }

    /** systemd's {@code Restart=always}: an exit nobody asked for starts the agent again, after a pause. */
    private void exited(Process ended) {
        synchronized (lock) {
            if (stopping || ended != process) {
                return;
            }
            restarts++;
            LOG.atWarn().addKeyValue("node", node).addKeyValue("pid", ended.pid())
                    .addKeyValue("exitCode", ended.exitValue()).addKeyValue("restarts", restarts)
                    .addKeyValue("log", dir.resolve(LOG_FILE))
                    .log("node agent process ended unasked; starting it again in " + RESTART_DELAY.toSeconds() + " s");
        }
        Thread.ofVirtual().name("agent-restart-" + node).start(() -> {
            try {
                Thread.sleep(RESTART_DELAY);
                synchronized (lock) {
                    if (!stopping) {
                        launch();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                LOG.atError().setCause(e).addKeyValue("node", node).log("could not start the node agent again");
            }
        });
    }

    /** Waits until the agent writes its ready file (it has joined) or exits. */
    private void awaitJoined(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Process current = current();
        while (!Files.exists(readyFile)) {
            if (!current.isAlive()) {
                throw new IOException("the node agent of " + node + " exited with " + current.exitValue()
                        + " before it joined; the end of " + dir.resolve(LOG_FILE) + ":\n" + logTail());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IOException("the node agent of " + node + " did not join within " + timeout.toSeconds()
                        + " s; the end of " + dir.resolve(LOG_FILE) + ":\n" + logTail());
            }
            Thread.sleep(100);
        }
    }

    private Process current() {
        synchronized (lock) {
            return process;
        }
    }

    /** The agent's pid now (it changes when the agent is started again). */
    long pid() {
        return current().pid();
    }

    /** How often the agent was started again after ending unasked. */
    int restarts() {
        synchronized (lock) {
            return restarts;
        }
    }

    boolean running() {
        Process current = current();
        return current != null && current.isAlive();
    }

    /** Ends the agent for good: SIGTERM (it stops cleanly, pods stay in containerd), SIGKILL if it lingers. */
    void stop() {
        Process ending;
        synchronized (lock) {
            stopping = true;
            ending = process;
        }
        if (ending == null || !ending.isAlive()) {
            return;
        }
        ending.destroy();
        try {
            if (!ending.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.atWarn().addKeyValue("node", node).addKeyValue("pid", ending.pid())
                        .log("node agent did not stop within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM: killing it");
                ending.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            ending.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        LOG.atInfo().addKeyValue("node", node).addKeyValue("pid", ending.pid()).log("node agent process stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /** One argument of a {@code java @file}: quoted, with its backslashes and quotes escaped. */
    static String quoted(String argument) {
        return "\"" + argument.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(LOG_FILE), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Kills an agent a killed cluster left running with the settings in {@code dir}; returns how many. */
    static int killLeftover(Path dir) {
        String settings = settingsFile(dir.toAbsolutePath()).toString();
        List<ProcessHandle> agents = new ArrayList<>();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            all.forEach(p -> {
                String line = commandLine(p.pid());
                if (line.contains(MAIN) && line.endsWith(" " + settings)) {
                    agents.add(p);
                }
            });
        }
        for (ProcessHandle agent : agents) {
            agent.destroyForcibly();
            agent.onExit().orTimeout(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).exceptionally(e -> agent).join();
            LOG.atWarn().addKeyValue("pid", agent.pid()).addKeyValue("settings", settings)
                    .log("killed a node agent left behind");
        }
        return agents.size();
    }

    private static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return ""; // gone meanwhile, or not ours to read
        }
    }
}
