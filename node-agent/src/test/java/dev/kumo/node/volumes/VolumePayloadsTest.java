package dev.kumo.node.volumes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static dev.kumo.controllers.testing.TestCluster.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VolumePayloadsTest {
    private static final ObjectNode POD = object("""
            {"metadata": {"name": "web", "namespace": "shop", "uid": "u-1",
                          "labels": {"tier": "front", "app": "web"}, "annotations": {"note": "say \\"hi\\""}}}""");

    @Test
    void downwardApiMetadataFieldsAsTheKubeletWritesThem() throws VolumeError {
        assertThat(VolumePayloads.metadataField(POD, "metadata.labels")).isEqualTo("app=\"web\"\ntier=\"front\"");
        assertThat(VolumePayloads.metadataField(POD, "metadata.annotations")).isEqualTo("note=\"say \\\"hi\\\"\"");
        assertThat(VolumePayloads.metadataField(POD, "metadata.labels['tier']")).isEqualTo("front");
        assertThat(VolumePayloads.metadataField(POD, "metadata.namespace")).isEqualTo("shop");
        assertThat(VolumePayloads.metadataField(POD, "metadata.uid")).isEqualTo("u-1");
        assertThatThrownBy(() -> VolumePayloads.metadataField(POD, "status.podIP"))
                .hasMessage("unsupported fieldRef fieldPath in a downward API volume: status.podIP");
    }
}
