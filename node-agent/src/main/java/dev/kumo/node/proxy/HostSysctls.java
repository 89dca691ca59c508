package dev.kumo.node.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/**
 * The kernel settings Service routing needs, in the proxier's network namespace (the only things it changes
 * besides its own nftables table):
 *
 * <ul>
 *   <li>{@code net.ipv4.ip_forward=1}: DNATed traffic from pods and from outside is forwarded to the endpoints;</li>
 *   <li>{@code net.bridge.bridge-nf-call-iptables=1} where the bridge's netfilter hook exists: a pod answering a
 *   client on the same bridge must pass conntrack, or its answer keeps the endpoint's address instead of the
 *   ClusterIP (the setting kubeadm and the CNI bridge plugin's docs ask for).</li>
 * </ul>
 *
 * Unlike kube-proxy's iptables mode, nothing needs {@code route_localnet}: NodePorts are not served on loopback,
 * as in kube-proxy's nftables mode.
 */
final class HostSysctls {
    private static final Logger LOG = LoggerFactory.getLogger(HostSysctls.class);
    static final List<String> REQUIRED = List.of("net.ipv4.ip_forward");
    static final List<String> WHERE_PRESENT = List.of("net.bridge.bridge-nf-call-iptables");

    private final HostCommand host;

    HostSysctls(HostCommand host) {
        this.host = host;
    }

    /** Sets each setting to 1 unless it is already; failures are logged (routing then fails where they matter). */
    void enable() throws InterruptedException {
        for (String key : REQUIRED) {
            set(key, true);
        }
        for (String key : WHERE_PRESENT) {
            set(key, false);
        }
    }

    private void set(String key, boolean required) throws InterruptedException {
        try {
            HostCommand.Result current = host.run(List.of("sysctl", "-n", key), "");
            if (!current.succeeded()) {
                if (required) {
                    LOG.atError().addKeyValue("sysctl", key).addKeyValue("netns", host.networkNamespace())
                            .log("cannot read a setting Service routing needs: " + current.output());
                }
                return; // an optional one that this kernel does not have (br_netfilter not loaded)
            }
            if (current.output().equals("1")) {
                return;
            }
            HostCommand.Result written = host.run(List.of("sysctl", "-w", key + "=1"), "");
            if (!written.succeeded()) {
                LOG.atError().addKeyValue("sysctl", key).addKeyValue("netns", host.networkNamespace())
                        .log("cannot enable a setting Service routing needs: " + written.output());
                return;
            }
            LOG.atInfo().addKeyValue("sysctl", key).addKeyValue("netns", host.networkNamespace())
                    .addKeyValue("was", current.output()).log("enabled for Service routing");
        } catch (IOException e) {
            LOG.atError().addKeyValue("sysctl", key).addKeyValue("netns", host.networkNamespace()).setCause(e)
                    .log("cannot run sysctl");
        }
    }
}
