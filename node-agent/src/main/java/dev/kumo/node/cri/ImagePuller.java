package dev.kumo.node.cri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.node.cri.v1.ImageSpec;
import dev.kumo.node.cri.v1.ImageStatusRequest;
import dev.kumo.node.cri.v1.ImageStatusResponse;
import dev.kumo.node.cri.v1.PodSandboxConfig;
import dev.kumo.node.cri.v1.PullImageRequest;
import dev.kumo.node.pods.GoDuration;
import dev.kumo.node.pods.PodEvents;
import dev.kumo.node.pods.RepeatLimiter;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The kubelet's image manager ({@code EnsureImageExists}): honours {@code imagePullPolicy} (Always, IfNotPresent,
 * Never; when unset, Always for an untagged or {@code :latest} image and IfNotPresent otherwise, as the API
 * defaults it), and after a failed pull backs off per pod and image (10 s doubling to 5 min), reporting
 * {@code ErrImagePull} for a pull that failed, {@code ImagePullBackOff} while backing off and
 * {@code ErrImageNeverPull} for a missing image that must not be pulled, each with the kubelet's message; and
 * records the image manager's events: {@code Pulling}, {@code Pulled} (also "already present on machine"),
 * {@code Failed}, {@code BackOff} and {@code ErrImageNeverPull}.
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
    private final PodEvents events;
    private final RepeatLimiter repeats;

    ImagePuller(CriClient client, BackOff backOff, Clock clock, PodEvents events, RepeatLimiter repeats) {
        this.client = client;
        this.backOff = backOff;
        this.clock = clock;
        this.events = events;
        this.repeats = repeats;
    }

    Result ensure(ObjectNode pod, JsonNode container, PodSandboxConfig sandbox) {
        String podUid = Meta.uid(pod);
        String name = container.path("name").asText();
        String image = container.path("image").asText("");
        String policy = container.path("imagePullPolicy").asText("");
        if (policy.isEmpty()) {
            policy = defaultPolicy(image);
        }
        ImageStatusResponse status = imageStatus(image);
        String present = status.hasImage() ? status.getImage().getId() : null;
        boolean pull = switch (policy) {
            case "Never" -> false;
            case "IfNotPresent" -> present == null;
            default -> present == null || !isLocal(image);
        };
        if (!pull) {
            if (present != null) {
                events.container(pod, name, PodEvents.NORMAL, "Pulled",
                        "Container image \"" + image + "\" already present on machine");
                return new Result(present, "", "");
            }
            String message = "Container image \"" + image + "\" is not present with pull policy of Never";
            if (repeats.due(podUid + "/" + name + "/" + ERR_IMAGE_NEVER_PULL, clock.instant())) {
                events.container(pod, name, PodEvents.WARNING, ERR_IMAGE_NEVER_PULL, message);
                events.container(pod, name, PodEvents.WARNING, "Failed", "Error: " + ERR_IMAGE_NEVER_PULL);
            }
            return new Result(null, ERR_IMAGE_NEVER_PULL, message);
        }
        String key = podUid + "/" + image;
        Instant now = clock.instant();
        if (backOff.inBackOffSinceUpdate(key, now)) {
            String message = "Back-off pulling image \"" + image + "\"";
            if (repeats.due(podUid + "/" + name + "/" + IMAGE_PULL_BACK_OFF, now)) {
                events.container(pod, name, PodEvents.NORMAL, "BackOff", message);
                events.container(pod, name, PodEvents.WARNING, "Failed", "Error: " + IMAGE_PULL_BACK_OFF);
            }
            return new Result(null, IMAGE_PULL_BACK_OFF, message);
        }
        events.container(pod, name, PodEvents.NORMAL, "Pulling", "Pulling image \"" + image + "\"");
        long begin = System.nanoTime();
        try {
            String ref = client.pulls().pullImage(PullImageRequest.newBuilder()
                    .setImage(ImageSpec.newBuilder().setImage(image)).setSandboxConfig(sandbox).build())
                    .getImageRef();
            Duration took = Duration.ofNanos(System.nanoTime() - begin).truncatedTo(ChronoUnit.MILLIS);
            LOG.atInfo().addKeyValue("podUid", podUid).addKeyValue("image", image)
                    .addKeyValue("millis", took.toMillis()).log("pulled image");
            ImageStatusResponse pulled = imageStatus(image);
            // pulls are not queued here: the time pulling and the time including waiting are one
            events.container(pod, name, PodEvents.NORMAL, "Pulled", "Successfully pulled image \"" + image + "\" in "
                    + GoDuration.format(took) + " (" + GoDuration.format(took) + " including waiting). Image size: "
                    + (pulled.hasImage() ? pulled.getImage().getSize() : 0) + " bytes.");
            return new Result(pulled.hasImage() ? pulled.getImage().getId() : ref, "", "");
        } catch (StatusRuntimeException e) {
            backOff.next(key, clock.instant());
            LOG.atWarn().addKeyValue("podUid", podUid).addKeyValue("image", image)
                    .addKeyValue("backOffSeconds", backOff.delay(key).toSeconds()).log("image pull failed: " + e);
            String message = "Failed to pull image \"" + image + "\": " + e.getMessage();
            events.container(pod, name, PodEvents.WARNING, "Failed", message);
            events.container(pod, name, PodEvents.WARNING, "Failed", "Error: " + ERR_IMAGE_PULL);
            return new Result(null, ERR_IMAGE_PULL, message);
        }
    }

    /** The image as the node has it (no image when it is not there). */
    private ImageStatusResponse imageStatus(String image) {
        return client.images().imageStatus(ImageStatusRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(image)).build());
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
