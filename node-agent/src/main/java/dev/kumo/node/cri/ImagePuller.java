package dev.kumo.node.cri;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.node.cri.v1.ImageSpec;
import dev.kumo.node.cri.v1.ImageStatusRequest;
import dev.kumo.node.cri.v1.ImageStatusResponse;
import dev.kumo.node.cri.v1.PodSandboxConfig;
import dev.kumo.node.cri.v1.PullImageRequest;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;

/**
 * The kubelet's image manager ({@code EnsureImageExists}): honours {@code imagePullPolicy} (Always, IfNotPresent,
 * Never; when unset, Always for an untagged or {@code :latest} image and IfNotPresent otherwise, as the API
 * defaults it), and after a failed pull backs off per pod and image (10 s doubling to 5 min), reporting
 * {@code ErrImagePull} for a pull that failed, {@code ImagePullBackOff} while backing off and
 * {@code ErrImageNeverPull} for a missing image that must not be pulled, each with the kubelet's message.
 *
 * <p>One deviation, for machines without a registry: images of the {@value #LOCAL_REGISTRY} registry (built or
 * loaded on the node, never pushed anywhere) are not pulled when present, whatever the policy.
 */
final class ImagePuller {
    private static final Logger LOG = LoggerFactory.getLogger(ImagePuller.class);
    static final String LOCAL_REGISTRY = "kumo.local";
    static final String ERR_IMAGE_PULL = "ErrImagePull";
    static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";
    static final String ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull";

    /** The image's id when it is there; else why not, for the container's waiting state. */
    record Result(String imageId, String reason, String message) {
        boolean ok() {
            return imageId != null;
        }
    }

    private final CriClient client;
    private final BackOff backOff;
    private final Clock clock;

    ImagePuller(CriClient client, BackOff backOff, Clock clock) {
        this.client = client;
        this.backOff = backOff;
        this.clock = clock;
    }

    Result ensure(String podUid, JsonNode container, PodSandboxConfig sandbox) {
        String image = container.path("image").asText("");
        String policy = container.path("imagePullPolicy").asText("");
        if (policy.isEmpty()) {
            policy = defaultPolicy(image);
        }
        String present = presentId(image);
        boolean pull = switch (policy) {
            case "Never" -> false;
            case "IfNotPresent" -> present == null;
            default -> present == null || !isLocal(image);
        };
        if (!pull) {
            if (present != null) {
                return new Result(present, "", "");
            }
            return new Result(null, ERR_IMAGE_NEVER_PULL,
                    "Container image \"" + image + "\" is not present with pull policy of Never");
        }
        String key = podUid + "/" + image;
        Instant now = clock.instant();
        if (backOff.inBackOffSinceUpdate(key, now)) {
            return new Result(null, IMAGE_PULL_BACK_OFF, "Back-off pulling image \"" + image + "\"");
        }
        long begin = System.nanoTime();
        try {
            String ref = client.pulls().pullImage(PullImageRequest.newBuilder()
                    .setImage(ImageSpec.newBuilder().setImage(image)).setSandboxConfig(sandbox).build())
                    .getImageRef();
            LOG.atInfo().addKeyValue("podUid", podUid).addKeyValue("image", image)
                    .addKeyValue("millis", (System.nanoTime() - begin) / 1_000_000).log("pulled image");
            String id = presentId(image);
            return new Result(id != null ? id : ref, "", "");
        } catch (StatusRuntimeException e) {
            backOff.next(key, clock.instant());
            LOG.atWarn().addKeyValue("podUid", podUid).addKeyValue("image", image)
                    .addKeyValue("backOffSeconds", backOff.delay(key).toSeconds()).log("image pull failed: " + e);
            return new Result(null, ERR_IMAGE_PULL, "Failed to pull image \"" + image + "\": " + e.getMessage());
        }
    }

    /** The image's id on the node, or null when it is not there. */
    private String presentId(String image) {
        ImageStatusResponse status = client.images().imageStatus(ImageStatusRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(image)).build());
        return status.hasImage() ? status.getImage().getId() : null;
    }

    /** The API's default: Always for {@code :latest} or no tag, IfNotPresent otherwise (digests included). */
    static String defaultPolicy(String image) {
        if (image.contains("@")) {
            return "IfNotPresent";
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        boolean tagged = colon > slash;
        return !tagged || image.substring(colon + 1).equals("latest") ? "Always" : "IfNotPresent";
    }

    static boolean isLocal(String image) {
        return image.startsWith(LOCAL_REGISTRY + "/");
    }
}
