package dev.kumo.node.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.node.pods.RuntimeContainer;
import dev.kumo.node.pods.RuntimePod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

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
        Path log = podDir(pod).resolve("app").resolve("0.log");
        String output = awaitFile(log, "hello");
        assertThat(output).as("the init container's file, the env ($(POD) expanded in args), no agent variable")
                .isEqualTo("ok\nhello kumo web .\n");
    }

    @Test
    void anEndedContainerIsRestartedAtOnceThenBacksOffShowingTheRunThatEnded() throws Exception {
        ProcessRuntime runtime = runtime();
        ObjectNode pod = pod("""
                "containers": [{"name": "crash", "image": "ignored",
                  "command": ["sh", "-c",
                    "n=$(cat runs 2>/dev/null || echo 0); echo $((n + 1)) > runs; exit $((n + 3))"]}]""");
        RuntimePod backingOff = await(runtime, pod, p -> "CrashLoopBackOff".equals(p.containers().get(0).reason()));
        RuntimeContainer crash = backingOff.containers().get(0);
        assertThat(crash.state()).isEqualTo(RuntimeContainer.State.WAITING);
        assertThat(crash.restartCount()).isEqualTo(1);
        assertThat(crash.message()).startsWith("back-off 10s restarting failed container=crash pod=web_default(");
        assertThat(crash.lastTermination().exitCode()).as("the second run's").isEqualTo(4);
        assertThat(crash.lastTermination().reason()).isEqualTo("Error");
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
                   "command": ["sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.1; done"]},
                  {"name": "stubborn", "image": "i",
                   "command": ["sh", "-c", "trap '' TERM; while :; do sleep 0.1; done"]}]""");
        await(runtime, pod, p -> p.containers().stream().allMatch(c -> c.state() == RuntimeContainer.State.RUNNING));
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

    private static String awaitFile(Path file, String containing) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(file) || !Files.readString(file).contains(containing)) {
            assertThat(System.nanoTime()).as("waiting for %s in %s", containing, file).isLessThan(deadline);
            Thread.sleep(100);
        }
        return Files.readString(file);
    }
}
