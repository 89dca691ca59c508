package dev.kumo.node.cri;

import dev.kumo.node.cri.v1.ImageSpec;
import dev.kumo.node.cri.v1.ImageStatusRequest;
import dev.kumo.node.cri.v1.ImageStatusResponse;
import dev.kumo.node.cri.v1.VersionResponse;
import dev.kumo.node.image.BusyboxImages;
import dev.kumo.node.image.ImageImporter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The CRI client against a real, private containerd; the offline images imported and seen by its CRI. */
@Tag("containerd")
class CriClientTest {
    @TempDir
    Path dir;

    @Test
    void versionAndOfflineImagesThroughTheCri() throws Exception {
        CriPrerequisites.require();
        try (ContainerdLauncher containerd = ContainerdLauncher.start(dir.resolve("containerd"),
                BusyboxImages.PAUSE); CriClient client = new CriClient(containerd.socket())) {
            VersionResponse version = client.version();
            assertThat(version.getRuntimeName()).isEqualTo("containerd");
            assertThat(version.getRuntimeApiVersion()).isEqualTo("v1");
            assertThat(version.getRuntimeVersion()).isNotEmpty();

            Path archive = dir.resolve("images.tar");
            BusyboxImages.write(BusyboxImages.DEBIAN_BUSYBOX, archive);
            ImageImporter.importArchive(containerd.socket(), archive);

            for (String image : new String[] {BusyboxImages.BUSYBOX, BusyboxImages.PAUSE}) {
                ImageStatusResponse status = client.images().imageStatus(ImageStatusRequest.newBuilder()
                        .setImage(ImageSpec.newBuilder().setImage(image)).build());
                assertThat(status.hasImage()).as(image).isTrue();
                assertThat(status.getImage().getRepoTagsList()).contains(image);
                assertThat(status.getImage().getId()).startsWith("sha256:");
            }
        }
    }
}
