package dev.kumo.node.cri;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The node's pod network as a CNI configuration list for containerd's CRI: a Linux bridge whose address is the
 * pod CIDR's gateway (so the host reaches every pod directly), host-local addresses from the pod CIDR (kept under
 * the agent's own state directory), masquerading for traffic leaving the pod CIDR unless the node's network routes
 * pod CIDRs between nodes ({@code ipMasq} false: pods then reach pods of other nodes with their own addresses, as
 * Kubernetes' network model asks), hairpin mode so that a pod reaches itself through a service, and portmap for
 * hostPort. containerd brings each sandbox's loopback up itself
 * with the {@code loopback} plugin of the same directory.
 */
public record CniConfig(String networkName, String bridge, String podCidr, Path ipamDataDir, boolean ipMasq) {

    /** Masquerading what leaves the pod CIDR: a node whose pod CIDR nobody else routes. */
    public CniConfig(String networkName, String bridge, String podCidr, Path ipamDataDir) {
        this(networkName, bridge, podCidr, ipamDataDir, true);
    }

    /** The conflist's JSON. */
    public String json() {
        return """
                {
                  "cniVersion": "0.4.0",
                  "name": "%s",
                  "plugins": [
                    {
                      "type": "bridge",
                      "bridge": "%s",
                      "isGateway": true,
                      "ipMasq": %s,
                      "hairpinMode": true,
                      "ipam": {
                        "type": "host-local",
                        "ranges": [[{"subnet": "%s"}]],
                        "routes": [{"dst": "0.0.0.0/0"}],
                        "dataDir": "%s"
                      }
                    },
                    {
                      "type": "portmap",
                      "capabilities": {"portMappings": true}
                    }
                  ]
                }
                """.formatted(networkName, bridge, ipMasq, podCidr, ipamDataDir);
    }

    /**
     * Writes the conflist into containerd's CNI configuration directory (whole, through a rename: containerd
     * watches the directory and must never read half a file). It is the only file there.
     */
    public Path write(Path confDir) throws IOException {
        Files.createDirectories(confDir);
        Files.createDirectories(ipamDataDir);
        Path file = confDir.resolve("10-" + networkName + ".conflist");
        Path partial = confDir.resolve("." + networkName + ".partial");
        Files.writeString(partial, json(), StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }
}
