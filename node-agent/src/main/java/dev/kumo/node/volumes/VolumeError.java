package dev.kumo.node.volumes;

/**
 * A volume could not be set up; the message is what the kubelet would say in its {@code FailedMount} event, e.g.
 * {@code MountVolume.SetUp failed for volume "config" : configmap "settings" not found}.
 */
public final class VolumeError extends Exception {
    public VolumeError(String message) {
        super(message);
    }

    public VolumeError(String message, Throwable cause) {
        super(message, cause);
    }

    /** The kubelet's wording for a volume whose set-up failed. */
    static VolumeError setUpFailed(String volume, String why) {
        return new VolumeError("MountVolume.SetUp failed for volume \"" + volume + "\" : " + why);
    }
}
