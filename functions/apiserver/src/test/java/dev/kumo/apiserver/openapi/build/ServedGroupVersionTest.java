package dev.kumo.apiserver.openapi.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServedGroupVersionTest {
    private final ServedGroupVersion apps = new ServedGroupVersion("apps", "v1", Map.of("deployments", Set.of("scale")));
    private final ServedGroupVersion core = new ServedGroupVersion("", "v1", Map.of("pods", Set.of()));

    @Test
    void pathsOfTheGroupVersion() {
        assertThat(apps.v3Path()).isEqualTo("apis/apps/v1");
        assertThat(core.v3Path()).isEqualTo("api/v1");
    }

    @Test
    void servesListedResourcesAndSubresourcesOnly() {
        assertThat(apps.serves("/apis/apps/v1/namespaces/{namespace}/deployments")).isTrue();
        assertThat(apps.serves("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale")).isTrue();
        assertThat(apps.serves("/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status")).isFalse();
        assertThat(apps.serves("/apis/apps/v1/statefulsets")).isFalse();
        assertThat(core.serves("/api/v1/namespaces/{namespace}/pods/{name}/exec")).isFalse();
    }

    @Test
    void servesItsOwnRootButNoOtherGroupVersion() {
        assertThat(apps.serves("/apis/apps/v1/")).isTrue();
        assertThat(apps.serves("/apis/apps/v1beta1/deployments")).isFalse();
        assertThat(apps.serves("/apis/apps/")).isFalse();
        assertThat(core.serves("/api/")).isFalse();
    }
}
