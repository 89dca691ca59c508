package dev.kumo.apimachinery.kubelet;

/**
 * How the API server and the node agents' kubelet endpoints (logs, exec, port-forward) trust each other.
 *
 * <p>The agent serves HTTPS with a certificate of its own and publishes the certificate's SHA-256 on its Node
 * ({@link #SERVING_CERTIFICATE_ANNOTATION}); only the node itself (NodeRestriction) and cluster admins may write
 * that Node, so the API server pins the certificate it meets to the one the node published. The API server in turn
 * signs each proxied request with a short-lived token under its own issuer ({@link #ISSUER}, never accepted by the
 * API itself), for one node ({@link #audience}) and one request ({@link #REQUEST_CLAIM}); the agent checks it with
 * the cluster's public signing keys.
 */
public final class KubeletApi {
    /** The kubelet's default port ({@code --port}). */
    public static final int DEFAULT_PORT = 10250;
    /** Node annotation: lowercase hex SHA-256 of the DER certificate the node's agent serves. */
    public static final String SERVING_CERTIFICATE_ANNOTATION = "kumo.dev/kubelet-serving-certificate-sha256";
    /** The issuer of the API server's tokens for node agents. */
    public static final String ISSUER = "urn:kumo:kubelet-client";
    /** Whom those tokens name: kubeadm's user for kube-apiserver's kubelet client certificate. */
    public static final String SUBJECT = "kube-apiserver-kubelet-client";
    /** The claim naming the one request a token is good for: {@code <METHOD> <path>?<query>}. */
    public static final String REQUEST_CLAIM = "kumo.dev/request";
    /** How long such a token lives: long enough to connect, short enough to be worthless once seen. */
    public static final long TOKEN_SECONDS = 60;

    private KubeletApi() {
    }

    /** The audience of tokens for node {@code node}'s agent, so that one node's token is no good at another. */
    public static String audience(String node) {
        return "kumo:kubelet:" + node;
    }
}
