package dev.kumo.apiserver.auth.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The reference walk: which secrets, config maps and service account a pod spec names. */
class PodReferencesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static PodReferences of(String spec) {
        try {
            JsonNode pod = MAPPER.readTree("{\"metadata\":{\"name\":\"p\"},\"spec\":" + spec + "}");
            return PodReferences.of(pod);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void containersOfEveryKindReferToSecretsAndConfigMapsThroughEnvAndEnvFrom() {
        PodReferences references = of("""
                {"initContainers":[{"name":"init","env":[
                   {"name":"A","valueFrom":{"secretKeyRef":{"name":"init-secret","key":"k"}}},
                   {"name":"B","valueFrom":{"configMapKeyRef":{"name":"init-cm","key":"k"}}}]}],
                 "containers":[{"name":"main","envFrom":[{"secretRef":{"name":"main-secret"}},
                                                          {"configMapRef":{"name":"main-cm"}}],
                                "env":[{"name":"PLAIN","value":"x"},
                                       {"name":"FIELD","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}]}],
                 "ephemeralContainers":[{"name":"debug","envFrom":[{"prefix":"D_","secretRef":{"name":"debug-secret"}}],
                                         "env":[{"name":"C","valueFrom":{"configMapKeyRef":{"name":"debug-cm"}}}]}]}
                """);

        assertThat(references.secrets()).containsExactlyInAnyOrder("init-secret", "main-secret", "debug-secret");
        assertThat(references.configMaps()).containsExactlyInAnyOrder("init-cm", "main-cm", "debug-cm");
    }

    @Test
    void volumesReferToSecretsAndConfigMapsDirectlyAndThroughProjections() {
        PodReferences references = of("""
                {"containers":[{"name":"main"}],
                 "volumes":[{"name":"s","secret":{"secretName":"volume-secret"}},
                            {"name":"c","configMap":{"name":"volume-cm"}},
                            {"name":"p","projected":{"sources":[
                               {"secret":{"name":"projected-secret"}},
                               {"configMap":{"name":"projected-cm"}},
                               {"serviceAccountToken":{"path":"token"}},
                               {"downwardAPI":{"items":[]}}]}},
                            {"name":"e","emptyDir":{}}]}
                """);

        assertThat(references.secrets()).containsExactlyInAnyOrder("volume-secret", "projected-secret");
        assertThat(references.configMaps()).containsExactlyInAnyOrder("volume-cm", "projected-cm");
    }

    @Test
    void imagePullSecretsAndVolumePluginCredentialsAreSecrets() {
        PodReferences references = of("""
                {"imagePullSecrets":[{"name":"registry"},{"name":""}],
                 "containers":[{"name":"main"}],
                 "volumes":[{"name":"a","azureFile":{"secretName":"azure","shareName":"s"}},
                            {"name":"b","cephfs":{"monitors":["m"],"secretRef":{"name":"ceph"}}},
                            {"name":"c","cinder":{"volumeID":"v","secretRef":{"name":"cinder"}}},
                            {"name":"d","flexVolume":{"driver":"x","secretRef":{"name":"flex"}}},
                            {"name":"e","rbd":{"monitors":["m"],"image":"i","secretRef":{"name":"rbd"}}},
                            {"name":"f","scaleIO":{"gateway":"g","system":"s","secretRef":{"name":"scaleio"}}},
                            {"name":"g","iscsi":{"targetPortal":"t","iqn":"i","lun":0,"secretRef":{"name":"iscsi"}}},
                            {"name":"h","storageos":{"volumeName":"v","secretRef":{"name":"storageos"}}},
                            {"name":"i","csi":{"driver":"d","nodePublishSecretRef":{"name":"csi"}}},
                            {"name":"j","cephfs":{"monitors":["m"]}}]}
                """);

        assertThat(references.secrets()).containsExactlyInAnyOrder("registry", "azure", "ceph", "cinder", "flex",
                "rbd", "scaleio", "iscsi", "storageos", "csi");
        assertThat(references.configMaps()).isEmpty();
    }

    @Test
    void emptyAndMissingNamesAreNoReference() {
        PodReferences references = of("""
                {"containers":[{"name":"main","envFrom":[{"secretRef":{}}],
                                "env":[{"name":"A","valueFrom":{"secretKeyRef":{"name":"","key":"k"}}}]}],
                 "volumes":[{"name":"c","configMap":{}},{"name":"s","secret":{"optional":true}}]}
                """);

        assertThat(references.secrets()).isEmpty();
        assertThat(references.configMaps()).isEmpty();
        assertThat(references.serviceAccount()).isEmpty();
    }

    @Test
    void serviceAccountIsTheNamedOneOrTheDeprecatedField() {
        assertThat(of("{\"serviceAccountName\":\"builder\",\"containers\":[]}").serviceAccount())
                .isEqualTo("builder");
        assertThat(of("{\"serviceAccount\":\"legacy\",\"containers\":[]}").serviceAccount()).isEqualTo("legacy");
        assertThat(of("{\"serviceAccountName\":\"new\",\"serviceAccount\":\"old\"}").serviceAccount())
                .isEqualTo("new");
    }

    @Test
    void aPodWithoutSpecRefersToNothing() {
        PodReferences references = PodReferences.of(MAPPER.createObjectNode());

        assertThat(references.secrets()).isEmpty();
        assertThat(references.configMaps()).isEmpty();
    }
}
