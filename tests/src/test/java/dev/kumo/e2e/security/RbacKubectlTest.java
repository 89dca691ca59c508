package dev.kumo.e2e.security;

import dev.kumo.e2e.support.ForEachKubectl;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.PrintedTable;
import dev.kumo.e2e.support.SharedCluster;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RBAC with the real kubectl: {@code auth can-i} (with {@code --list} and {@code --as}), {@code auth whoami},
 * {@code create role|clusterrole|rolebinding|clusterrolebinding}, and what a user without rights is told. Other
 * users are reached through impersonation ({@code --as}), which the admin may use as in Kubernetes.
 */
@ExtendWith(SharedCluster.class)
class RbacKubectlTest {
    private final KumoCluster cluster;

    RbacKubectlTest(KumoCluster cluster) {
        this.cluster = cluster;
    }

    @ForEachKubectl
    void canIAnswersNoThenYesOnceABindingExists(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("can-i-" + version);
        String user = "dev-" + version.replace('.', '-');

        Kubectl.Result before = kubectl.run("auth", "can-i", "create", "pods", "-n", ns, "--as=" + user);
        assertThat(before.exitCode()).isEqualTo(1);
        assertThat(before.out().strip()).isEqualTo("no");

        kubectl.run("create", "rolebinding", "dev-edits", "--clusterrole=edit", "--user=" + user, "-n", ns).ok();

        Kubectl.Result after = kubectl.run("auth", "can-i", "create", "pods", "-n", ns, "--as=" + user).ok();
        assertThat(after.out().strip()).isEqualTo("yes");
        assertThat(kubectl.run("auth", "can-i", "create", "pods", "-n", "default", "--as=" + user).out().strip())
                .isEqualTo("no");
        assertThat(kubectl.run("auth", "can-i", "create", "pods", "-n", ns).ok().out().strip())
                .as("the admin").isEqualTo("yes");
    }

    @ForEachKubectl
    void canIListShowsTheRulesOfTheUserInTheNamespace(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("can-i-list-" + version);
        String user = "viewer-" + version.replace('.', '-');
        kubectl.run("create", "rolebinding", "viewer", "--clusterrole=view", "--user=" + user, "-n", ns).ok();

        PrintedTable rules = PrintedTable.parse(kubectl.run("auth", "can-i", "--list", "-n", ns, "--as=" + user)
                .ok().out());

        assertThat(rules.headers()).containsExactly("Resources", "Non-Resource URLs", "Resource Names", "Verbs");
        assertThat(rules.rows()).anySatisfy(row -> assertThat(row).containsEntry("Resources", "pods")
                .containsEntry("Verbs", "[get list watch]"));
        assertThat(rules.rows()).anySatisfy(row -> assertThat(row)
                .containsEntry("Resources", "deployments.apps").containsEntry("Verbs", "[get list watch]"));
        assertThat(rules.rows()).anySatisfy(row -> assertThat(row)
                .containsEntry("Resources", "selfsubjectaccessreviews.authorization.k8s.io")
                .containsEntry("Verbs", "[create]"));
        assertThat(rules.rows()).anySatisfy(row -> assertThat(row).containsEntry("Non-Resource URLs", "[/healthz]")
                .containsEntry("Verbs", "[get]"));
        assertThat(rules.column("Resources")).doesNotContain("secrets");
        assertThat(rules.rows()).noneSatisfy(row -> assertThat(row.get("Verbs")).contains("create", "pods"));
    }

    @ForEachKubectl
    void whoamiNamesTheUser(String version) {
        Kubectl kubectl = cluster.kubectl(version);

        PrintedTable admin = PrintedTable.parse(kubectl.run("auth", "whoami").ok().out());
        PrintedTable other = PrintedTable.parse(kubectl.run("auth", "whoami", "--as=someone",
                "--as-group=team-a").ok().out());

        assertThat(admin.headers()).containsExactly("ATTRIBUTE", "VALUE");
        assertThat(admin.rows()).anySatisfy(row -> assertThat(row).containsEntry("ATTRIBUTE", "Username")
                .containsEntry("VALUE", "kumo-admin"));
        assertThat(admin.rows()).anySatisfy(row -> assertThat(row).containsEntry("ATTRIBUTE", "Groups")
                .containsEntry("VALUE", "[system:masters system:authenticated]"));
        assertThat(other.rows()).anySatisfy(row -> assertThat(row).containsEntry("ATTRIBUTE", "Username")
                .containsEntry("VALUE", "someone"));
        assertThat(other.rows()).anySatisfy(row -> assertThat(row).containsEntry("ATTRIBUTE", "Groups")
                .containsEntry("VALUE", "[team-a system:authenticated]"));
    }

    @ForEachKubectl
    void aViewerIsToldWhyAWriteIsForbidden(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("forbidden-" + version);
        String user = "reader-" + version.replace('.', '-');
        kubectl.run("create", "rolebinding", "reader", "--clusterrole=view", "--user=" + user, "-n", ns).ok();

        kubectl.run("get", "configmaps", "-n", ns, "--as=" + user).ok();
        Kubectl.Result write = kubectl.run("create", "configmap", "settings", "--from-literal=a=b", "-n", ns,
                "--as=" + user).failed();
        Kubectl.Result secrets = kubectl.run("get", "secrets", "-n", ns, "--as=" + user).failed();

        assertThat(write.err()).contains("configmaps is forbidden: User \"" + user + "\" cannot create resource "
                + "\"configmaps\" in API group \"\" in the namespace \"" + ns + "\"");
        assertThat(secrets.err()).contains("Error from server (Forbidden): secrets is forbidden: User \"" + user
                + "\" cannot list resource \"secrets\" in API group \"\" in the namespace \"" + ns + "\"");
    }

    @ForEachKubectl
    void kubectlCreatesRolesClusterRolesAndBindings(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("create-rbac-" + version);
        String suffix = version.replace('.', '-');

        assertThat(kubectl.run("create", "role", "pod-reader", "--verb=get,list,watch", "--resource=pods,pods/status",
                "-n", ns).ok().out()).contains("role.rbac.authorization.k8s.io/pod-reader created");
        assertThat(kubectl.run("create", "clusterrole", "node-reader-" + suffix, "--verb=get",
                "--resource=nodes", "--resource-name=node-a").ok().out()).contains("created");
        assertThat(kubectl.run("create", "clusterrole", "aggregate-" + suffix,
                "--aggregation-rule=example.com/aggregate=true").ok().out()).contains("created");
        assertThat(kubectl.run("create", "clusterrole", "metrics-" + suffix, "--verb=get",
                "--non-resource-url=/metrics").ok().out()).contains("created");
        kubectl.run("create", "rolebinding", "readers", "--role=pod-reader", "--user=alice", "--group=devs",
                "--serviceaccount=" + ns + ":robot", "-n", ns).ok();
        kubectl.run("create", "clusterrolebinding", "node-readers-" + suffix, "--clusterrole=node-reader-" + suffix,
                "--user=alice").ok();

        PrintedTable bindings = PrintedTable.parse(kubectl.run("get", "rolebindings", "-n", ns, "-o", "wide")
                .ok().out());
        assertThat(bindings.headers()).containsExactly("NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS");
        assertThat(bindings.row("readers")).containsEntry("ROLE", "Role/pod-reader").containsEntry("USERS", "alice")
                .containsEntry("GROUPS", "devs").containsEntry("SERVICEACCOUNTS", ns + "/robot");
        PrintedTable roles = PrintedTable.parse(kubectl.run("get", "roles", "-n", ns).ok().out());
        assertThat(roles.headers()).containsExactly("NAME", "CREATED AT");
        assertThat(kubectl.run("auth", "can-i", "get", "nodes/node-a", "--as=alice").ok().out().strip())
                .isEqualTo("yes");
        assertThat(kubectl.run("auth", "can-i", "get", "nodes/node-b", "--as=alice").out().strip())
                .isEqualTo("no");
        assertThat(kubectl.run("auth", "can-i", "list", "pods", "-n", ns,
                "--as=system:serviceaccount:" + ns + ":robot").ok().out().strip()).isEqualTo("yes");
        assertThat(kubectl.run("describe", "clusterrole", "view").ok().out())
                .as("the aggregated rules are shown").contains("configmaps", "deployments.apps");
    }

    @ForEachKubectl
    void kubectlAppliesRbacObjectsAndReportsARoleRefChange(String version) {
        Kubectl kubectl = cluster.kubectl(version);
        String ns = cluster.newNamespace("apply-rbac-" + version);
        String role = """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: app, namespace: %s}
                rules:
                - {apiGroups: [""], resources: [configmaps], verbs: [get]}
                """.formatted(ns);
        String binding = """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: app, namespace: %s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: %s, name: %s}
                subjects:
                - {kind: ServiceAccount, name: app}
                """;

        assertThat(kubectl.runWithInput(role, "apply", "-f", "-").ok().out())
                .contains("role.rbac.authorization.k8s.io/app created");
        kubectl.runWithInput(binding.formatted(ns, "Role", "app"), "apply", "-f", "-").ok();
        assertThat(kubectl.runWithInput(role + "- {apiGroups: [\"\"], resources: [secrets], verbs: [list]}\n",
                "apply", "-f", "-").ok().out()).contains("role.rbac.authorization.k8s.io/app configured");
        String serviceAccount = "--as=system:serviceaccount:" + ns + ":app";
        assertThat(kubectl.run("auth", "can-i", "list", "secrets", "-n", ns, serviceAccount).ok().out().strip())
                .isEqualTo("yes");

        Kubectl.Result changed = kubectl.runWithInput(binding.formatted(ns, "ClusterRole", "view"), "apply", "-f",
                "-").failed();
        assertThat(changed.err()).contains("The RoleBinding \"app\" is invalid: roleRef: "
                + "Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", "
                + "Name:\"view\"}: cannot change roleRef");
    }

    @ForEachKubectl
    void theSchedulersOwnCredentialMayBindPodsButNotReadSecrets(String version) {
        Kubectl scheduler = cluster.kubectl(version).withKubeconfig(componentKubeconfig("kube-scheduler"));

        assertThat(scheduler.run("auth", "can-i", "create", "pods", "--subresource=binding", "-n", "default").ok()
                .out().strip())
                .isEqualTo("yes");
        assertThat(scheduler.run("auth", "can-i", "list", "nodes").ok().out().strip()).isEqualTo("yes");
        assertThat(scheduler.run("auth", "can-i", "get", "secrets", "-n", "default").out().strip()).isEqualTo("no");
        assertThat(scheduler.run("auth", "whoami").ok().out()).contains("system:kube-scheduler");
        Kubectl.Result secrets = scheduler.run("get", "secrets", "-n", "default").failed();
        assertThat(secrets.err()).contains("User \"system:kube-scheduler\" cannot list resource \"secrets\"");
    }

    private Path componentKubeconfig(String component) {
        return cluster.workDirectory().resolve("components").resolve(component + ".kubeconfig");
    }
}
