package dev.kumo.node.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.node.logs.CriLogReader;
import dev.kumo.node.logs.LogOptions;
import dev.kumo.node.pods.ContainerStreams;
import dev.kumo.node.pods.RuntimeContainer;
import dev.kumo.node.pods.RuntimePod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The process runtime with real processes (sh from the host): init order, restarts, back-off, env, kill, remove. */
class ProcessRuntimeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path state;
    private ProcessRuntime runtime;

    private ProcessRuntime runtime() {
        runtime = new ProcessRuntime("192.0.2.7", state, Clock.systemUTC());
        return runtime;
    }

    @AfterEach
    void close() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void initContainersRunFirstInThePodsDirectoryThenTheContainersWithTheNodesAddress() throws Exception {
        ProcessRuntime runtime = runtime();
        ObjectNode pod = pod("""
                "initContainers": [{"name": "first", "image": "ignored", "command": ["sh", "-c", "echo ok > marker"]}],
                "containers": [{"name": "app", "image": "ignored",
                  "command": ["sh", "-c"], "args": ["cat marker; echo \\"$GREETING $(POD) $HOME.\\"; exec sleep 60"],
                  "env": [{"name": "NAME", "value": "kumo"}, {"name": "GREETING", "value": "hello $(NAME)"},
                          {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]}]""");
        RuntimePod running = await(runtime, pod, p -> !p.containers().isEmpty()
                && p.containers().get(0).state() == RuntimeContainer.State.RUNNING);
        assertThat(running.ips()).containsExactly("192.0.2.7");
        assertThat(running.initContainers()).singleElement().satisfies(init -> {
            assertThat(init.state()).isEqualTo(RuntimeContainer.State.TERMINATED);
            assertThat(init.exitCode()).isZero();
            assertThat(init.ready()).as("a completed init container counts as ready").isTrue();
        });
        assertThat(running.containers().get(0).containerId()).startsWith("process://");
        String output = awaitLog(runtime.streams().orElseThrow().log("default", "web", "app", false),
                LogOptions.defaults(), "hello");
        assertThat(output).as("the init container's file, the env ($(POD) expanded in args), no agent variable")
                .isEqualTo("ok\nhello kumo web .\n");
    }

    @Test
    void anEndedContainerIsRestartedAtOnceThenBacksOffShowingTheRunThatEnded() throws Exception {
        ProcessRuntime runtime = runtime();
        ObjectNode pod = pod("""
                "containers": [{"name": "crash", "image": "ignored",
                  "command": ["sh", "-c",
                    "n=$(cat runs 2>/dev/null || echo 0); echo $((n + 1)) > runs; echo run $((n + 1)); exit $((n + 3))"]}]""");
        RuntimePod backingOff = await(runtime, pod, p -> "CrashLoopBackOff".equals(p.containers().get(0).reason()));
        RuntimeContainer crash = backingOff.containers().get(0);
        assertThat(crash.state()).isEqualTo(RuntimeContainer.State.WAITING);
        assertThat(crash.restartCount()).isEqualTo(1);
        assertThat(crash.message()).startsWith("back-off 10s restarting failed container=crash pod=web_default(");
        assertThat(crash.lastTermination().exitCode()).as("the second run's").isEqualTo(4);
        assertThat(crash.lastTermination().reason()).isEqualTo("Error");
        // as the kubelet: while it waits, both the log and --previous are the run lastState shows
        ContainerStreams streams = runtime.streams().orElseThrow();
        assertThat(read(streams.log("default", "web", "crash", true), LogOptions.defaults())).isEqualTo("run 2\n");
        assertThat(read(streams.log("default", "web", "crash", false), LogOptions.defaults())).isEqualTo("run 2\n");
    }

    @Test
    void aNeverPodsContainerEndsOnceAndAContainerWithoutCommandCannotRun() throws Exception {
        ProcessRuntime runtime = runtime();
        ObjectNode pod = pod("""
                "restartPolicy": "Never",
                "containers": [{"name": "once", "image": "ignored", "command": ["true"]},
                               {"name": "image-only", "image": "nginx:1.27"}]""");
        RuntimePod ended = await(runtime, pod, p -> p.containers().get(0).state() == RuntimeContainer.State.TERMINATED);
        assertThat(ended.containers().get(0).reason()).isEqualTo("Completed");
        assertThat(runtime.sync(pod).containers().get(0).restartCount()).isZero();
        assertThat(ended.containers().get(1).reason()).isEqualTo("CreateContainerConfigError");
        assertThat(ended.containers().get(1).message())
                .isEqualTo("the process runtime runs no images: container image-only needs a command");
    }

    @Test
    void killSendsSigtermThenSigkillAfterTheGracePeriodAndRemoveDeletesThePodsDirectory() throws Exception {
        ProcessRuntime runtime = runtime();
        ObjectNode pod = pod("""
                "containers": [
                  {"name": "polite", "image": "i",
                   "command": ["sh", "-c", "trap 'exit 0' TERM; echo trapping; while :; do sleep 0.1; done"]},
                  {"name": "stubborn", "image": "i",
                   "command": ["sh", "-c", "trap '' TERM; echo trapping; while :; do sleep 0.1; done"]}]""");
        await(runtime, pod, p -> p.containers().stream().allMatch(c -> c.state() == RuntimeContainer.State.RUNNING));
        // a signal that comes before the shell set its trap would end it at once
        for (String container : List.of("polite", "stubborn")) {
            awaitLog(runtime.streams().orElseThrow().log("default", "web", container, false), LogOptions.defaults(),
                    "trapping");
        }
        long begin = System.nanoTime();
        RuntimePod killed = runtime.kill(pod, Duration.ofSeconds(2));
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("the stubborn one got its grace period")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(killed.containers()).extracting(RuntimeContainer::exitCode).containsExactly(0, 137);
        assertThat(killed.sandboxReady()).isFalse();
        assertThat(runtime.sync(pod).containers()).extracting(RuntimeContainer::state)
                .as("a killed pod is not started again").containsOnly(RuntimeContainer.State.TERMINATED);

        runtime.remove(pod.path("metadata").path("uid").asText());
        assertThat(podDir(pod)).doesNotExist();
    }

    @Test
    void logsOfTheRunningAndThePreviousRunComeBackThroughTheContainerStreams() throws Exception {
        ProcessRuntime runtime = runtime();
        // the first run writes both streams and a last line without newline, then fails; the second writes two
        // lines, a third one later, and keeps running
        ObjectNode pod = pod("""
                "containers": [{"name": "echo", "image": "ignored", "command": ["sh", "-c",
                  "n=$(cat runs 2>/dev/null || echo 0); n=$((n + 1)); echo $n > runs; if [ $n = 1 ]; then echo run 1 line 1; echo run 1 line 2; echo run 1 warning >&2; printf 'run 1 no newline'; exit 1; fi; echo run $n early 1; echo run $n early 2; sleep 1.5; echo run $n late; exec sleep 60"]}]""");
        await(runtime, pod, p -> p.containers().get(0).state() == RuntimeContainer.State.RUNNING
                && p.containers().get(0).restartCount() == 1);
        ContainerStreams streams = runtime.streams().orElseThrow();

        String previous = read(streams.log("default", "web", "echo", true), LogOptions.defaults());
        assertThat(previous.split("\n")).as("the first run, whose stdout and stderr are two pipes")
                .containsExactlyInAnyOrder("run 1 line 1", "run 1 line 2", "run 1 warning", "run 1 no newline");
        assertThat(previous).containsSubsequence("run 1 line 1\n", "run 1 line 2\n").endsWith("run 1 no newline");

        ContainerStreams.ContainerLog current = streams.log("default", "web", "echo", false);
        assertThat(current.file()).isEqualTo(podDir(pod).resolve("echo").resolve("1.log"));
        String withTimes = awaitLog(current, new LogOptions(false, false, true, -1, -1, null), "late");
        String[] lines = withTimes.split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).endsWith(" run 2 late");
        Instant late = Instant.parse(lines[2].substring(0, lines[2].indexOf(' ')));
        assertThat(late).as("the line written 1.5 s later has its own time")
                .isAfter(Instant.parse(lines[1].substring(0, lines[1].indexOf(' '))).plusSeconds(1));
        assertThat(read(current, LogOptions.defaults())).isEqualTo("run 2 early 1\nrun 2 early 2\nrun 2 late\n");
        assertThat(read(current, new LogOptions(false, false, false, 1, -1, null))).as("--tail=1")
                .isEqualTo("run 2 late\n");
        assertThat(read(current, new LogOptions(false, false, false, -1, -1, late))).as("--since-time")
                .isEqualTo("run 2 late\n");
        assertThat(read(current, new LogOptions(false, false, false, -1, 8, null))).as("--limit-bytes")
                .isEqualTo("run 2 ea");

        // -f follows the running container and ends once it is killed and its output drained
        CompletableFuture<String> followed = CompletableFuture.supplyAsync(() -> {
            try {
                return read(current, new LogOptions(true, false, false, 1, -1, null));
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        Thread.sleep(1500);
        assertThat(followed).as("still following while the container runs").isNotDone();
        runtime.kill(pod, Duration.ofSeconds(2));
        assertThat(followed.get(20, TimeUnit.SECONDS)).isEqualTo("run 2 late\n");
    }

    @Test
    void aContainerThatEndsAtOnceHasAllItsOutputInItsLogWhenItsEndIsReported() throws Exception {
        ProcessRuntime runtime = runtime();
        // more than a pipe holds (64 KiB): the process ends only if its output is read while it runs; and a child
        // that writes the last line 0.2 s after the shell ended: the end is reported once the pipes are drained
        ObjectNode pod = pod("""
                "restartPolicy": "Never",
                "containers": [{"name": "burst", "image": "ignored", "command": ["sh", "-c",
                  "i=0; while [ $i -lt 3000 ]; do echo \\"line $i of a burst that fills the pipe\\"; i=$((i + 1)); done; (sleep 0.2; echo done >&2) &"]}]""");
        await(runtime, pod, p -> p.containers().get(0).state() == RuntimeContainer.State.TERMINATED);
        ContainerStreams.ContainerLog log = runtime.streams().orElseThrow().log("default", "web", "burst", false);
        String output = read(log, LogOptions.defaults());
        assertThat(output.split("\n")).hasSize(3001).contains("line 2999 of a burst that fills the pipe", "done");
        assertThat(log.running().getAsBoolean()).as("nothing more will be written").isFalse();
        assertThat(openFiles()).as("the run's log file is closed").doesNotContain(log.file().toRealPath());
    }

    @Test
    void withoutARunThereIsNoLogAndThereIsNeverExecOrPortForward() throws Exception {
        ProcessRuntime runtime = runtime();
        ObjectNode pod = pod("""
                "containers": [{"name": "image-only", "image": "nginx:1.27"},
                               {"name": "app", "image": "ignored", "command": ["sleep", "60"]}]""");
        await(runtime, pod, p -> p.containers().get(1).state() == RuntimeContainer.State.RUNNING);
        ContainerStreams streams = runtime.streams().orElseThrow();
        assertThatThrownBy(() -> streams.log("default", "web", "image-only", false))
                .isInstanceOfSatisfying(ContainerStreams.Unavailable.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("container \"image-only\" in pod \"web\" is waiting to start: CreateContainerConfigError");
        assertThatThrownBy(() -> streams.log("default", "web", "app", true))
                .isInstanceOfSatisfying(ContainerStreams.Unavailable.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("previous terminated container \"app\" in pod \"web\" not found");
        assertThatThrownBy(() -> streams.log("default", "other", "app", false))
                .isInstanceOfSatisfying(ContainerStreams.Unavailable.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessage("pod \"other\" does not exist");
        assertThatThrownBy(() -> streams.exec("default", "web", "app",
                new ContainerStreams.Exec(List.of("date"), false, true, true, false)))
                .isInstanceOfSatisfying(ContainerStreams.Unavailable.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("the process runtime cannot exec: its containers are plain processes of the node; "
                        + "run the command on the machine");
        assertThatThrownBy(() -> streams.portForward("default", "web", List.of(8080)))
                .isInstanceOfSatisfying(ContainerStreams.Unavailable.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageStartingWith("the process runtime cannot port-forward");
    }

    private ObjectNode pod(String spec) throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"metadata": {"name": "web", "namespace": "default", "uid": "%s"}, "spec": {%s}}"""
                .formatted(UUID.randomUUID(), spec));
    }

    private Path podDir(ObjectNode pod) {
        return state.resolve("pods").resolve("default_web_" + pod.path("metadata").path("uid").asText());
    }

    /** Syncs the pod (as the agent does every second) until {@code done}; fails after {@link #WAIT}. */
    private static RuntimePod await(ProcessRuntime runtime, ObjectNode pod, Predicate<RuntimePod> done)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        RuntimePod last = runtime.sync(pod);
        while (!done.test(last)) {
            assertThat(System.nanoTime()).as("waiting for the pod; last seen %s", last).isLessThan(deadline);
            Thread.sleep(100);
            last = runtime.sync(pod);
        }
        return last;
    }

    /** What the kubelet endpoint would send for the log with these options. */
    private static String read(ContainerStreams.ContainerLog log, LogOptions options) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CriLogReader(log.file(), options, log.running()).copyTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String awaitLog(ContainerStreams.ContainerLog log, LogOptions options, String containing)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String text = read(log, options);
        while (!text.contains(containing)) {
            assertThat(System.nanoTime()).as("waiting for %s in %s", containing, text).isLessThan(deadline);
            Thread.sleep(100);
            text = read(log, options);
        }
        return text;
    }

    /** The files this JVM holds open. */
    private static List<Path> openFiles() throws Exception {
        List<Path> open = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    open.add(Files.readSymbolicLink(fd));
                } catch (NoSuchFileException e) {
                    // closed since it was listed (the listing's own descriptor, for one)
                }
            }
        }
        return open;
    }
}
