package dev.kumo.node.cri;

import dev.kumo.node.cri.v1.ImageServiceGrpc;
import dev.kumo.node.cri.v1.RuntimeServiceGrpc;
import dev.kumo.node.cri.v1.VersionRequest;
import dev.kumo.node.cri.v1.VersionResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A CRI client on a container runtime's unix socket (containerd's {@code /run/containerd/containerd.sock}): the
 * RuntimeService and ImageService of {@code runtime.v1} as blocking stubs, each call with a deadline (the kubelet's
 * {@code --runtime-request-timeout}, 2 minutes, and longer for image pulls).
 *
 * <p>The transport is grpc-netty-shaded's epoll channel on a {@link DomainSocketAddress}: grpc-java's only transport
 * that speaks HTTP/2 over a unix socket, and shaded, so its Netty cannot clash with anything else on the class path.
 */
public final class CriClient implements AutoCloseable {
    /** The CRI version the agent speaks (VersionRequest.version). */
    public static final String API_VERSION = "v1";
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
    static final Duration PULL_TIMEOUT = Duration.ofMinutes(10);

    private final Path socket;
    private final EventLoopGroup loop;
    private final ManagedChannel channel;
    private final RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;
    private final ImageServiceGrpc.ImageServiceBlockingStub images;

    public CriClient(Path socket) {
        this.socket = socket;
        // daemon: a client never keeps the JVM alive
        this.loop = new EpollEventLoopGroup(1, new DefaultThreadFactory("cri-client", true));
        this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .eventLoopGroup(loop)
                .channelType(EpollDomainSocketChannel.class)
                .usePlaintext()
                .overrideAuthority("localhost")
                // container lists and statuses of a busy node exceed gRPC's default 4 MiB (the kubelet's is 16 MiB)
                .maxInboundMessageSize(16 * 1024 * 1024)
                .build();
        this.runtime = RuntimeServiceGrpc.newBlockingStub(channel);
        this.images = ImageServiceGrpc.newBlockingStub(channel);
    }

    public Path socket() {
        return socket;
    }

    /** The RuntimeService for one call (the deadline starts now). */
    public RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
        return runtime.withDeadlineAfter(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The RuntimeService for one call that may take {@code deadline} (an ExecSync with its own timeout). */
    public RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime(Duration deadline) {
        return runtime.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The ImageService for one call other than a pull. */
    public ImageServiceGrpc.ImageServiceBlockingStub images() {
        return images.withDeadlineAfter(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The ImageService for one pull. */
    public ImageServiceGrpc.ImageServiceBlockingStub pulls() {
        return images.withDeadlineAfter(PULL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    public VersionResponse version() {
        return runtime().version(VersionRequest.newBuilder().setVersion(API_VERSION).build());
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
