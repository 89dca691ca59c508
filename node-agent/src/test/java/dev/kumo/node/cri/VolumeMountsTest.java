package dev.kumo.node.cri;

import dev.kumo.node.cri.v1.Mount;
import dev.kumo.node.volumes.MountedVolume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.kumo.controllers.testing.TestCluster.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VolumeMountsTest {
    @TempDir
    Path volumes;

    @Test
    void mountsAreReadOnlyWhenTheMountOrTheVolumeSaysSo() throws Exception {
        Path scratch = Files.createDirectory(volumes.resolve("scratch"));
        Path config = Files.createDirectory(volumes.resolve("config"));
        List<Mount> mounts = VolumeMounts.of(object("""
                {"name": "web", "volumeMounts": [
                  {"name": "scratch", "mountPath": "/tmp/a"},
                  {"name": "scratch", "mountPath": "/tmp/b", "readOnly": true},
                  {"name": "config", "mountPath": "/etc/config", "readOnly": false}]}"""),
                Map.of("scratch", new MountedVolume(scratch, false), "config", new MountedVolume(config, true)));

        assertThat(mounts).extracting(Mount::getContainerPath, Mount::getHostPath, Mount::getReadonly)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/tmp/a", scratch.toString(), false),
                        org.assertj.core.groups.Tuple.tuple("/tmp/b", scratch.toString(), true),
                        org.assertj.core.groups.Tuple.tuple("/etc/config", config.toString(), true));
    }

    @Test
    void aSubPathIsMadeWhenMissingAndResolvedThroughTheVolumesLinks() throws Exception {
        Path scratch = Files.createDirectory(volumes.resolve("scratch"));
        Path config = Files.createDirectory(volumes.resolve("config"));
        Path version = Files.createDirectory(config.resolve("..v1"));
        Files.writeString(version.resolve("app.conf"), "x");
        Files.createSymbolicLink(config.resolve("..data"), Path.of("..v1"));
        Files.createSymbolicLink(config.resolve("app.conf"), Path.of("..data/app.conf"));
        Map<String, MountedVolume> mounted = Map.of("scratch", new MountedVolume(scratch, false),
                "config", new MountedVolume(config, true));

        List<Mount> mounts = VolumeMounts.of(object("""
                {"name": "web", "volumeMounts": [
                  {"name": "scratch", "mountPath": "/data", "subPath": "logs/web"},
                  {"name": "config", "mountPath": "/etc/app.conf", "subPath": "app.conf"}]}"""), mounted);

        assertThat(Files.isDirectory(scratch.resolve("logs/web"))).isTrue();
        assertThat(mounts.get(0).getHostPath()).isEqualTo(scratch.toRealPath().resolve("logs/web").toString());
        assertThat(mounts.get(1).getHostPath()).as("the file itself: a bind mount of a link would not work")
                .isEqualTo(version.toRealPath().resolve("app.conf").toString());
    }

    @Test
    void subPathsThatLeaveTheVolumeAndUnknownVolumesAreConfigErrors() throws Exception {
        Path scratch = Files.createDirectory(volumes.resolve("scratch"));
        Files.createSymbolicLink(scratch.resolve("escape"), Path.of("/etc"));
        Map<String, MountedVolume> mounted = Map.of("scratch", new MountedVolume(scratch, false));

        assertThatThrownBy(() -> VolumeMounts.of(object("""
                {"name": "web", "volumeMounts": [{"name": "scratch", "mountPath": "/x", "subPath": "../../etc"}]}"""),
                mounted)).hasMessage("volumeMount scratch: subPath ../../etc must be a relative path without '..'");
        assertThatThrownBy(() -> VolumeMounts.of(object("""
                {"name": "web", "volumeMounts": [{"name": "scratch", "mountPath": "/x", "subPath": "escape"}]}"""),
                mounted)).hasMessage("volumeMount scratch: subPath escape leads out of the volume (to /etc)");
        assertThatThrownBy(() -> VolumeMounts.of(object("""
                {"name": "web", "volumeMounts": [{"name": "absent", "mountPath": "/x"}]}"""), mounted))
                .hasMessage("cannot find volume \"absent\" to mount into container \"web\"");
    }
}
