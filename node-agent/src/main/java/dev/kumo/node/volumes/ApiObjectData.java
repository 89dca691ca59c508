package dev.kumo.node.volumes;

import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.node.pods.ReferencedData;

import java.util.Map;
import java.util.Optional;

/**
 * The bytes of a ConfigMap ({@code data} as UTF-8 and {@code binaryData} decoded) or a Secret ({@code data}
 * decoded), read through the API as the node: the Node authorizer lets a node read what its pods refer to.
 */
final class ApiObjectData {
    private final KubeClient client;

    ApiObjectData(KubeClient client) {
        this.client = client;
    }

    /** The object's keys and values; empty when there is no such object. */
    Optional<Map<String, byte[]>> read(boolean secret, String namespace, String name) throws VolumeError {
        if (client == null) {
            throw new VolumeError((secret ? "secret" : "configmap") + " volumes need the API, which this runtime "
                    + "was started without");
        }
        return ReferencedData.read(client, secret, namespace, name, true);
    }
}
