package dev.kumo.apiserver.openapi.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResourcePathTest {
    @Test
    void namespacedResourcesAndTheirSubresources() {
        assertThat(ResourcePath.parse("/namespaces/{namespace}/pods")).contains(new ResourcePath("pods", null));
        assertThat(ResourcePath.parse("/namespaces/{namespace}/pods/{name}")).contains(new ResourcePath("pods", null));
        assertThat(ResourcePath.parse("/namespaces/{namespace}/pods/{name}/status")).contains(new ResourcePath("pods", "status"));
        assertThat(ResourcePath.parse("/namespaces/{namespace}/pods/{name}/proxy/{path}")).contains(new ResourcePath("pods", "proxy"));
    }

    @Test
    void clusterWideListsAndWatches() {
        assertThat(ResourcePath.parse("/pods")).contains(new ResourcePath("pods", null));
        assertThat(ResourcePath.parse("/watch/pods")).contains(new ResourcePath("pods", null));
        assertThat(ResourcePath.parse("/watch/namespaces/{namespace}/pods/{name}")).contains(new ResourcePath("pods", null));
        assertThat(ResourcePath.parse("/nodes/{name}/status")).contains(new ResourcePath("nodes", "status"));
    }

    @Test
    void theNamespacesResourceItself() {
        assertThat(ResourcePath.parse("/namespaces")).contains(new ResourcePath("namespaces", null));
        assertThat(ResourcePath.parse("/namespaces/{name}")).contains(new ResourcePath("namespaces", null));
        assertThat(ResourcePath.parse("/namespaces/{name}/finalize")).contains(new ResourcePath("namespaces", "finalize"));
        assertThat(ResourcePath.parse("/watch/namespaces/{name}")).contains(new ResourcePath("namespaces", null));
    }

    @Test
    void theGroupVersionRootIsNoResource() {
        assertThat(ResourcePath.parse("/")).isEqualTo(Optional.empty());
        assertThat(ResourcePath.parse("")).isEqualTo(Optional.empty());
    }
}
