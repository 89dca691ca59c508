package dev.kumo.node.process;

import dev.kumo.node.pods.ContainerStreams;
import dev.kumo.node.pods.RuntimeContainer;
import dev.kumo.node.probes.ContainerExec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One container of the {@code process} runtime: its current run (a process of this host, its output in
 * {@code <dir>/<restartCount>.log} in the CRI format), how often it was restarted, how its previous run ended, or why
 * it waits. Calls never overlap (the pod sync works on one pod at a time), except {@link #log}, {@link #runningProcess}
 * and {@link #startedAt}, which read what the sync wrote last.
 */
final class ProcessContainer {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessContainer.class);
    /** How long the end of a run waits for its output to be written. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(1);
    private final String name;
    private final String image;
    private final Path dir;
    private final Clock clock;
    // volatile: the summary API and the kubelet server read the running process from other threads
    private volatile Process process;
    private int restartCount = -1;
    private volatile Instant startedAt;
    private Instant finishedAt;
    private int exitCode;
    private volatile String waitingReason = "";
    private String waitingMessage = "";
    private RuntimeContainer lastTermination;
    private Map<String, String> env = Map.of();
    /** The current run and the one before it, whose logs {@link #log} serves (read by the kubelet server). */
    private volatile Runs runs;
    private Path workingDir;

    ProcessContainer(String name, String image, Path dir, Clock clock) {
        this.name = name;
        this.image = image;
        this.dir = dir;
        this.clock = clock;
    }

    String name() {
        return name;
    }

    String waitingMessage() {
        return waitingMessage;
    }

    boolean started() {
        return process != null;
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    /** Whether its run ended (noticed now if it just did). */
    boolean exited() {
        if (process == null || process.isAlive()) {
            return false;
        }
        if (finishedAt == null) {
            Instant ended = clock.instant();
            drainOutput();
            exitCode = process.exitValue();
            finishedAt = ended;
        }
        return true;
    }

    /**
     * Before the end is reported, the run's output is in its file: a client that sees the container terminated
     * and asks for its log gets all of it. Bounded: a descendant that outlives the process may hold the pipes.
     */
    private void drainOutput() {
        try {
            if (!runs.output().awaitDrained(DRAIN_TIMEOUT)) {
                LOG.atInfo().addKeyValue("container", name).addKeyValue("file", runs.output().file())
                        .log("the container ended but its output is still open (a process it started holds it)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int exitCode() {
        return exitCode;
    }

    Instant finishedAt() {
        return finishedAt;
    }

    /**
     * Runs {@code command} with exactly {@code env} in {@code workingDir}: the first run, or the next one; false when
     * the command could not be run (the container then waits with RunContainerError). Its output goes to
     * {@code <dir>/<restartCount>.log} in the CRI format ({@link ContainerOutput}).
     */
    boolean start(List<String> command, Map<String, String> env, Path workingDir) throws IOException {
        if (process != null) {
            exited();
            lastTermination = report();
        }
        restartCount++;
        this.env = Map.copyOf(env);
        this.workingDir = workingDir;
        Files.createDirectories(dir);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        ContainerOutput output = ContainerOutput.open(dir.resolve(restartCount + ".log"), clock, name);
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            // as containerd reports a command it cannot run: the container ends at once with 128
            output.abandon();
            waitFailed(e);
            return false;
        }
        output.pump(started);
        process = started;
        Runs previous = runs;
        runs = new Runs(output, previous == null ? null : previous.output());
        startedAt = clock.instant();
        finishedAt = null;
        exitCode = 0;
        waitingReason = "";
        waitingMessage = "";
        return true;
    }

    /** Its id while it runs or ran ({@code process://<pid>}), "" before it first ran. */
    String containerId() {
        return process == null ? "" : id();
    }

    /**
     * Runs {@code command} beside the container's process, with its environment and working directory (what an
     * exec probe or hook gets here, for want of namespaces to enter), to its end or {@code timeout} (zero: none).
     */
    ContainerExec.Result exec(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process exec;
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        exec = builder.start();
        CompletableFuture<String> output = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (InputStream in = exec.getInputStream()) {
                output.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.completeExceptionally(e);
            }
        });
        boolean ended = true;
        if (timeout.isZero()) {
            exec.waitFor();
        } else {
            ended = exec.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (!ended) {
            exec.descendants().forEach(ProcessHandle::destroyForcibly);
            exec.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            return new ContainerExec.Result(-1, "", true);
        }
        try {
            return new ContainerExec.Result(exec.exitValue(), output.get(5, TimeUnit.SECONDS), false);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot read the output of " + command, e);
        }
    }

    /** The previous run (if any) stays what it was; the restart did not happen. */
    private void waitFailed(IOException e) {
        restartCount--;
        waitingReason = "RunContainerError";
        waitingMessage = "cannot run the command: " + e.getMessage();
    }

    /** Reports {@code reason} (CreateContainerConfigError, CrashLoopBackOff) until it runs again. */
    void waiting(String reason, String message) {
        waitingReason = reason;
        waitingMessage = message;
    }

    /** SIGTERM to the process and its descendants (a shell's children too). */
    void terminate() {
        if (running()) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
    }

    /** Waits for it to end until {@code deadline}, then SIGKILL to whatever of it is left. */
    void awaitOrKill(Instant deadline) throws InterruptedException {
        if (!running()) {
            exited();
            return;
        }
        long millis = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
        if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        exited();
    }

    /**
     * How the pod status shows it; {@code completedIsReady}: an init container that succeeded counts as ready (the
     * kubelet's word for it).
     */
    RuntimeContainer report(boolean completedIsReady) {
        RuntimeContainer current;
        if (!waitingReason.isEmpty() || process == null) {
            RuntimeContainer waiting = RuntimeContainer.waiting(name, image, waitingReason.isEmpty()
                    ? "ContainerCreating" : waitingReason, waitingMessage, Math.max(restartCount, 0));
            // waiting to run again: lastState is the run that just ended
            RuntimeContainer previous = process != null && exited() ? report() : lastTermination;
            return previous == null ? waiting : waiting.withLastTermination(previous);
        } else if (exited()) {
            current = RuntimeContainer.terminated(name, image, "", id(), restartCount, startedAt, finishedAt,
                    exitCode, completedIsReady && exitCode == 0);
        } else {
            current = RuntimeContainer.running(name, image, "", id(), restartCount, startedAt, true);
        }
        return lastTermination == null ? current : current.withLastTermination(lastTermination);
    }

    private RuntimeContainer report() {
        return RuntimeContainer.terminated(name, image, "", id(), restartCount, startedAt, finishedAt, exitCode,
                false);
    }

    /**
     * The log {@code kubectl logs} reads, chosen as the kubelet's {@code validateContainerLogStatus} chooses it from
     * the status {@link #report} gives: {@code previous} is the run {@code lastState} shows (the one that just ended
     * while the container waits to run again, else the one before the current); otherwise the current run, which
     * while waiting in back-off is the one that ended. Called by the kubelet server beside the pod's sync.
     */
    ContainerStreams.ContainerLog log(String pod, boolean previous) throws ContainerStreams.Unavailable {
        Runs seen = runs;
        Process current = process;
        String reason = waitingReason;
        if (previous) {
            if (seen != null && !reason.isEmpty() && current != null && !current.isAlive()) {
                return seen.output().log();
            }
            if (seen != null && seen.before() != null) {
                return seen.before().log();
            }
            throw new ContainerStreams.Unavailable(400, "previous terminated container \"" + name + "\" in pod \""
                    + pod + "\" not found");
        }
        if (seen == null) {
            throw new ContainerStreams.Unavailable(400, "container \"" + name + "\" in pod \"" + pod
                    + "\" is waiting to start: " + (reason.isEmpty() ? "ContainerCreating" : reason));
        }
        return seen.output().log();
    }

    /** The running instance's process, for its usage; empty when none runs. */
    Optional<ProcessHandle> runningProcess() {
        Process current = process;
        return current != null && current.isAlive() ? Optional.of(current.toHandle()) : Optional.empty();
    }

    Instant startedAt() {
        return startedAt;
    }

    private String id() {
        return "process://" + process.pid();
    }

    /** The current run's output and the output of the run before it (null for the first). */
    private record Runs(ContainerOutput output, ContainerOutput before) {
    }
}
