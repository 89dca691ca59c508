package dev.kumo.node.cri;

import dev.kumo.node.cri.v1.Container;
import dev.kumo.node.cri.v1.ContainerFilter;
import dev.kumo.node.cri.v1.ContainerState;
import dev.kumo.node.cri.v1.ContainerStatus;
import dev.kumo.node.cri.v1.ContainerStatusRequest;
import dev.kumo.node.cri.v1.ExecRequest;
import dev.kumo.node.cri.v1.ListContainersRequest;
import dev.kumo.node.cri.v1.ListPodSandboxRequest;
import dev.kumo.node.cri.v1.PodSandbox;
import dev.kumo.node.cri.v1.PodSandboxFilter;
import dev.kumo.node.cri.v1.PodSandboxState;
import dev.kumo.node.cri.v1.PortForwardRequest;
import dev.kumo.node.pods.ContainerStreams;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Logs, exec and port-forward of the cri runtime's containers, found as the kubelet finds them: the pod's newest
 * sandbox by its labels, the container's instances (all sandboxes of the pod) newest first. Log files are where the
 * runtime wrote them ({@code <pod log directory>/<container>/<attempt>.log}, the path the container status names),
 * so the instance before the newest is the one {@code previous} reads.
 */
final class CriStreams implements ContainerStreams {
    private final CriClient client;

    CriStreams(CriClient client) {
        this.client = client;
    }

    @Override
    public ContainerLog log(String namespace, String pod, String container, boolean previous) throws Unavailable {
        List<Container> instances = instances(newestSandbox(namespace, pod), container);
        if (previous) {
            if (instances.size() < 2) {
                throw new Unavailable(400, "previous terminated container \"" + container + "\" in pod \"" + pod
                        + "\" not found");
            }
        } else if (instances.isEmpty()) {
            throw new Unavailable(400, "container \"" + container + "\" in pod \"" + pod
                    + "\" is waiting to start: ContainerCreating");
        }
        ContainerStatus status = status(instances.get(previous ? 1 : 0).getId());
        Path file = Path.of(status.getLogPath());
        if (status.getLogPath().isEmpty() || !Files.exists(file)) {
            throw new Unavailable(404, "the log of container \"" + container + "\" in pod \"" + pod
                    + "\" is gone (" + status.getLogPath() + ")");
        }
        String id = status.getId();
        return new ContainerLog(file, () -> {
            try {
                ContainerState state = status(id).getState();
                return state == ContainerState.CONTAINER_RUNNING || state == ContainerState.CONTAINER_CREATED;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                    return false; // removed: nothing more will be written
                }
                throw e;
            }
        });
    }

    @Override
    public URI exec(String namespace, String pod, String container, Exec exec) throws Unavailable {
        List<Container> instances = instances(newestSandbox(namespace, pod), container);
        if (instances.isEmpty() || instances.get(0).getState() != ContainerState.CONTAINER_RUNNING) {
            throw new Unavailable(400, "container not found (\"" + container + "\")");
        }
        return URI.create(client.runtime().exec(ExecRequest.newBuilder().setContainerId(instances.get(0).getId())
                .addAllCmd(exec.command()).setStdin(exec.stdin()).setStdout(exec.stdout())
                .setStderr(exec.stderr()).setTty(exec.tty()).build()).getUrl());
    }

    @Override
    public URI portForward(String namespace, String pod, List<Integer> ports) throws Unavailable {
        PodSandbox sandbox = newestSandbox(namespace, pod);
        if (sandbox.getState() != PodSandboxState.SANDBOX_READY) {
            throw new Unavailable(400, "pod \"" + pod + "\" has no running sandbox");
        }
        return URI.create(client.runtime().portForward(PortForwardRequest.newBuilder()
                .setPodSandboxId(sandbox.getId()).addAllPort(ports).build()).getUrl());
    }

    private PodSandbox newestSandbox(String namespace, String pod) throws Unavailable {
        Optional<PodSandbox> newest = client.runtime().listPodSandbox(ListPodSandboxRequest.newBuilder()
                        .setFilter(PodSandboxFilter.newBuilder().putLabelSelector(CriLabels.POD_NAMESPACE, namespace)
                                .putLabelSelector(CriLabels.POD_NAME, pod)).build())
                .getItemsList().stream().max(Comparator.comparingLong(PodSandbox::getCreatedAt));
        return newest.orElseThrow(() -> new Unavailable(404, "pod \"" + pod + "\" in namespace \"" + namespace
                + "\" is not running on this node"));
    }

    /** The container's instances in every sandbox of the pod (same uid), newest first. */
    private List<Container> instances(PodSandbox sandbox, String container) {
        return client.runtime().listContainers(ListContainersRequest.newBuilder().setFilter(ContainerFilter
                        .newBuilder().putLabelSelector(CriLabels.POD_UID,
                                sandbox.getLabelsOrDefault(CriLabels.POD_UID, ""))
                        .putLabelSelector(CriLabels.CONTAINER_NAME, container)).build())
                .getContainersList().stream()
                .sorted(Comparator.comparingLong(Container::getCreatedAt).reversed()).toList();
    }

    private ContainerStatus status(String id) {
        return client.runtime().containerStatus(ContainerStatusRequest.newBuilder().setContainerId(id).build())
                .getStatus();
    }
}
