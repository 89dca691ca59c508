package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ListOptions;
import dev.kumo.apimachinery.store.ListPage;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apimachinery.store.StoredObject;
import dev.kumo.apimachinery.store.StoredRecord;
import dev.kumo.apimachinery.store.WatchBatch;
import dev.kumo.apiserver.admission.AdmissionRequest;
import dev.kumo.apiserver.admission.node.NodeRestriction;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.authz.Decision;
import dev.kumo.apiserver.auth.authz.RequestInfo;
import dev.kumo.apiserver.auth.node.BoundPods;
import dev.kumo.apiserver.auth.node.NodeAuthorizer;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.resources.BuiltinResources;
import dev.kumo.apiserver.resources.ResourceDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The node authorizer and NodeRestriction on a real store: what each check reads (counted around the DynamoDB
 * store), and the checks the API cannot reach yet (service-account tokens, {@code nodes/token}).
 */
class NodeAuthorizerStoreTest {
    private static final UserInfo NODE_A = UserInfo.of("system:node:a", UserInfo.NODES_GROUP).authenticated();
    private static final int OTHER_PODS = 20;
    private final TestApi api = new TestApi();
    private final CountingStore store = new CountingStore(api.store);
    private final NodeAuthorizer authorizer = new NodeAuthorizer(new BoundPods(store));
    private String podUid;

    @BeforeEach
    void onePodOnNodeAAmongPodsOnOtherNodes() {
        for (String serviceAccount : java.util.List.of("runner-a", "runner-b")) {
            assertThat(api.call("POST", "/api/v1/namespaces/default/serviceaccounts",
                    "{\"metadata\":{\"name\":\"" + serviceAccount + "\"}}").status()).isEqualTo(201);
        }
        for (int i = 0; i < OTHER_PODS; i++) {
            api.call("POST", "/api/v1/namespaces/default/pods", pod("other-" + i, "b", "runner-b", "s-b"));
        }
        podUid = api.call("POST", "/api/v1/namespaces/default/pods", pod("pa", "a", "runner-a", "s-a"))
                .body().at("/metadata/uid").asText();
        store.reset();
    }

    @Test
    void aSecretCheckReadsThePodsOfOneNamespaceOnce() {
        assertThat(authorize("get", "", "secrets", "", "s-a").kind()).isEqualTo(Decision.Kind.ALLOW);
        assertThat(store.lists.get()).isEqualTo(1);
        assertThat(store.gets.get()).isZero();
        assertThat(store.examined.get()).isEqualTo(OTHER_PODS + 1);
        System.out.printf("node authorizer: a secret check read %d pods, %d bytes of JSON%n", store.examined.get(),
                store.bytes.get());

        store.reset();
        assertThat(authorize("get", "", "secrets", "", "s-b").kind()).isEqualTo(Decision.Kind.NO_OPINION);
        assertThat(store.lists.get()).isEqualTo(1);
    }

    @Test
    void aPodCheckReadsThatPodOnlyAndSelectorsLeasesAndNodesReadNothing() {
        assertThat(authorize("get", "", "pods", "", "pa").kind()).isEqualTo(Decision.Kind.ALLOW);
        assertThat(authorize("get", "", "pods", "", "other-1").kind()).isEqualTo(Decision.Kind.NO_OPINION);
        assertThat(store.gets.get()).isEqualTo(2);
        assertThat(store.lists.get()).isZero();

        store.reset();
        assertThat(authorizer.authorize(NODE_A, new RequestInfo(true, "/api/v1/pods", "watch", "", "v1", "", "pods",
                "", "", "spec.nodeName=a")).kind()).isEqualTo(Decision.Kind.ALLOW);
        assertThat(authorizer.authorize(NODE_A, RequestInfo.resource("update", "coordination.k8s.io",
                "kube-node-lease", "leases", "", "a")).kind()).isEqualTo(Decision.Kind.ALLOW);
        assertThat(authorizer.authorize(NODE_A, RequestInfo.resource("patch", "", "", "nodes", "status", "a"))
                .kind()).isEqualTo(Decision.Kind.ALLOW);
        assertThat(store.gets.get() + store.lists.get()).isZero();
    }

    @Test
    void serviceAccountTokensOnlyForTheServiceAccountsOfPodsOnTheNode() {
        assertThat(authorize("create", "", "serviceaccounts", "token", "runner-a").kind())
                .isEqualTo(Decision.Kind.ALLOW);
        Decision other = authorize("create", "", "serviceaccounts", "token", "runner-b");
        assertThat(other.kind()).isEqualTo(Decision.Kind.NO_OPINION);
        assertThat(other.reason()).isEqualTo("no relationship found between node 'a' and this object");
        assertThat(authorize("get", "", "serviceaccounts", "", "runner-a").reason())
                .isEqualTo("can only create tokens for individual service accounts");
        assertThat(authorize("update", "", "serviceaccounts", "token", "runner-a").kind())
                .isEqualTo(Decision.Kind.NO_OPINION);
    }

    @Test
    void aNodeRenewsOnlyItsOwnCredential() {
        assertThat(authorizer.authorize(NODE_A, RequestInfo.resource("create", "", "", "nodes", "token", "a"))
                .kind()).isEqualTo(Decision.Kind.ALLOW);
        assertThat(authorizer.authorize(NODE_A, RequestInfo.resource("create", "", "", "nodes", "token", "b"))
                .reason()).isEqualTo("node 'a' can only create a token for its own Node object");
    }

    @Test
    void aNodeRecordsEventsWithoutReadingTheStore() {
        // the kubelet's events: created, and repeats patched (count, lastTimestamp), as kube's system:node role allows
        for (String verb : java.util.List.of("create", "patch", "update")) {
            assertThat(authorize(verb, "", "events", "", "web.17f3a").kind()).as(verb).isEqualTo(Decision.Kind.ALLOW);
        }
        assertThat(authorize("delete", "", "events", "", "web.17f3a").kind()).isEqualTo(Decision.Kind.NO_OPINION);
        assertThat(authorize("list", "", "events", "", "").kind()).isEqualTo(Decision.Kind.NO_OPINION);
        assertThat(store.gets.get() + store.lists.get()).isZero();
    }

    @Test
    void usersThatAreNotIdentifiableNodesGetNoOpinion() {
        RequestInfo getSecret = RequestInfo.resource("get", "", "default", "secrets", "", "s-a");
        assertThat(authorizer.authorize(UserInfo.of("system:node:a"), getSecret))
                .isEqualTo(Decision.noOpinion(""));
        assertThat(authorizer.authorize(UserInfo.of("alice", UserInfo.NODES_GROUP), getSecret))
                .isEqualTo(Decision.noOpinion(""));
        assertThat(authorizer.authorize(UserInfo.of("system:node:", UserInfo.NODES_GROUP), getSecret))
                .isEqualTo(Decision.noOpinion("unknown node for user \"system:node:\""));
        assertThat(store.gets.get() + store.lists.get()).isZero();
    }

    @Test
    void aNodesTokenRequestMustBeBoundToAPodOnThatNode() {
        NodeRestriction restriction = new NodeRestriction(new BoundPods(store));

        restriction.admit(tokenRequest("pa", podUid));
        assertThat(forbiddenMessage(restriction, tokenRequest(null, null))).isEqualTo(
                "serviceaccounts \"runner-a\" is forbidden: node requested token not bound to a pod");
        assertThat(forbiddenMessage(restriction, tokenRequest("pa", ""))).endsWith(
                "node requested token with a pod binding without a uid");
        assertThat(forbiddenMessage(restriction, tokenRequest("pa", "0000"))).endsWith(
                "the UID in the bound object reference (0000) does not match the UID in record. "
                        + "The object might have been deleted and then recreated");
        String otherUid = api.call("GET", "/api/v1/namespaces/default/pods/other-0", null)
                .body().at("/metadata/uid").asText();
        assertThat(forbiddenMessage(restriction, tokenRequest("other-0", otherUid))).endsWith(
                "node requested token bound to a pod scheduled on a different node");
        assertThatThrownBy(() -> restriction.admit(tokenRequest("gone", "1")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
    }

    private Decision authorize(String verb, String group, String resource, String subresource, String name) {
        return authorizer.authorize(NODE_A, RequestInfo.resource(verb, group, "default", resource, subresource, name));
    }

    private static String forbiddenMessage(NodeRestriction restriction, AdmissionRequest request) {
        try {
            restriction.admit(request);
        } catch (ApiException e) {
            assertThat(e.code()).isEqualTo(403);
            return e.getMessage();
        }
        throw new AssertionError("admitted " + request.object());
    }

    private static AdmissionRequest tokenRequest(String podName, String podUid) {
        ResourceDefinition serviceAccounts = BuiltinResources.create(Clock.systemUTC())
                .find("", "v1", "serviceaccounts").orElseThrow();
        ObjectNode request = TestApi.MAPPER.createObjectNode();
        request.put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenRequest");
        ObjectNode spec = request.putObject("spec");
        spec.putArray("audiences").add("https://kubernetes.default.svc");
        if (podName != null) {
            spec.putObject("boundObjectRef").put("apiVersion", "v1").put("kind", "Pod").put("name", podName)
                    .put("uid", podUid);
        }
        return new AdmissionRequest(AdmissionRequest.Operation.CREATE, serviceAccounts, "default", "runner-a",
                "token", request, null, NODE_A, false);
    }

    private static String pod(String name, String node, String serviceAccount, String secret) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},
                 "spec":{"nodeName":"%s","serviceAccountName":"%s",
                  "containers":[{"name":"c","image":"busybox","envFrom":[{"secretRef":{"name":"%s"}}]}]}}"""
                .formatted(name, node, serviceAccount, secret);
    }

    /** The DynamoDB store, counting what callers read through it. */
    private static final class CountingStore implements Store {
        private final Store store;
        final AtomicLong gets = new AtomicLong();
        final AtomicLong lists = new AtomicLong();
        final AtomicLong examined = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();

        CountingStore(Store store) {
            this.store = store;
        }

        void reset() {
            gets.set(0);
            lists.set(0);
            examined.set(0);
            bytes.set(0);
        }

        @Override
        public StoredObject create(ObjectKey key, ObjectNode object) {
            return store.create(key, object);
        }

        @Override
        public StoredObject update(ObjectKey key, ObjectNode object, long expectedRevision) {
            return store.update(key, object, expectedRevision);
        }

        @Override
        public StoredObject update(ObjectKey key, ObjectNode object, long expectedRevision,
                                   StoredRecord.Write alongside) {
            return store.update(key, object, expectedRevision, alongside);
        }

        @Override
        public StoredObject delete(ObjectKey key, long expectedRevision) {
            return store.delete(key, expectedRevision);
        }

        @Override
        public Optional<StoredRecord> getRecord(ObjectKey key) {
            gets.incrementAndGet();
            return store.getRecord(key);
        }

        @Override
        public StoredRecord putRecord(StoredRecord.Write write) {
            return store.putRecord(write);
        }

        @Override
        public Optional<StoredObject> get(ObjectKey key) {
            gets.incrementAndGet();
            return store.get(key);
        }

        @Override
        public ListPage list(String resource, ListOptions options) {
            lists.incrementAndGet();
            return store.list(resource, new ListOptions(options.namespace(), options.limit(), options.continueToken(),
                    options.revision(), object -> {
                        examined.incrementAndGet();
                        bytes.addAndGet(object.toString().getBytes(StandardCharsets.UTF_8).length);
                        return options.filter().test(object);
                    }));
        }

        @Override
        public WatchBatch watch(String resource, long afterRevision, Duration maxWait) {
            return store.watch(resource, afterRevision, maxWait);
        }

        @Override
        public Optional<StoredObject> getAtRevision(String resource, long revision) {
            return store.getAtRevision(resource, revision);
        }

        @Override
        public long currentRevision(String resource) {
            return store.currentRevision(resource);
        }

        @Override
        public void compact(String resource, long revision) {
            store.compact(resource, revision);
        }

        @Override
        public long compactedRevision(String resource) {
            return store.compactedRevision(resource);
        }
    }
}
