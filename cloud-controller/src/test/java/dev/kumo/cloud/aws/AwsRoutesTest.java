package dev.kumo.cloud.aws;

import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.Instance;
import dev.kumo.cloud.InstanceRequest;
import dev.kumo.cloud.Route;
import dev.kumo.cloud.Routes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** {@link AwsRoutes} against moto's EC2: the route table's routes and the instances' source/dest check. */
class AwsRoutesTest {
    private static MotoCloud cloud;
    private static AwsCloudProvider provider;

    @BeforeAll
    static void startMoto() {
        cloud = MotoCloud.get();
        provider = cloud.provider("routes");
    }

    @Test
    void createListAndDelete() throws Exception {
        Routes routes = provider.routes();
        Instance a = launch("routes-a");
        Instance b = launch("routes-b");
        Route toA = new Route(a.nodeName(), a.providerId(), "10.244.1.0/24");
        Route toB = new Route(b.nodeName(), b.providerId(), "10.244.2.0/24");

        routes.create(toA);
        routes.create(toB);
        routes.create(toA); // a retry: the same route exists already

        assertThat(tableRoutes()).contains(tuple("10.244.1.0/24", id(a)), tuple("10.244.2.0/24", id(b)));
        assertThat(routes.list()).containsExactlyInAnyOrder(toA, toB);
        assertThat(sourceDestCheck(a)).isFalse();

        routes.delete(toA);
        routes.delete(toA); // already gone

        assertThat(routes.list()).containsExactly(toB);
        assertThat(tableRoutes()).doesNotContain(tuple("10.244.1.0/24", id(a)));
        routes.delete(toB);
    }

    @Test
    void aCidrThatMovedToAnotherNodeIsReplaced() throws Exception {
        Routes routes = provider.routes();
        Instance old = launch("moved-old");
        Instance now = launch("moved-new");
        routes.create(new Route(old.nodeName(), old.providerId(), "10.244.9.0/24"));

        routes.create(new Route(now.nodeName(), now.providerId(), "10.244.9.0/24"));

        assertThat(tableRoutes()).contains(tuple("10.244.9.0/24", id(now)))
                .doesNotContain(tuple("10.244.9.0/24", id(old)));
        routes.delete(new Route(now.nodeName(), now.providerId(), "10.244.9.0/24"));
    }

    @Test
    void aRouteToATerminatedInstanceIsListedSoThatTheRouteControllerDeletesIt() throws Exception {
        Routes routes = provider.routes();
        Instance gone = launch("routes-gone");
        Route route = new Route(gone.nodeName(), gone.providerId(), "10.244.7.0/24");
        routes.create(route);

        provider.instances().terminate(gone.providerId());

        assertThat(routes.list()).extracting(Route::providerId, Route::destinationCidr)
                .contains(tuple(gone.providerId(), "10.244.7.0/24"));
        routes.delete(route);
        assertThat(routes.list()).extracting(Route::destinationCidr).doesNotContain("10.244.7.0/24");
    }

    @Test
    void routesToInstancesOfOtherClustersAreNotListed() throws Exception {
        AwsCloudProvider other = cloud.provider("routes-other");
        Instance theirs = other.instances().launch(new InstanceRequest("theirs", "p", "t3.micro", null, Map.of()));
        Route route = new Route(theirs.nodeName(), theirs.providerId(), "10.245.0.0/24");
        other.routes().create(route);

        assertThat(provider.routes().list()).doesNotContain(route);
        assertThat(other.routes().list()).contains(route);
        other.routes().delete(route);
    }

    @Test
    void withoutARouteTableTheCallsFailNamingTheVariable() {
        Map<String, String> env = new java.util.HashMap<>(cloud.environment("no-table"));
        env.remove(AwsCloudConfig.ENV_ROUTE_TABLE_ID);
        Routes routes = AwsCloudProvider.fromEnvironment(env).routes();

        assertThatThrownBy(routes::list).isInstanceOfSatisfying(CloudException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains(AwsCloudConfig.ENV_ROUTE_TABLE_ID);
        });
    }

    private static Instance launch(String token) throws CloudException {
        return provider.instances().launch(new InstanceRequest(token, "p", "t3.micro", null, Map.of()));
    }

    private static List<org.assertj.core.groups.Tuple> tableRoutes() {
        return cloud.ec2.describeRouteTables(r -> r.routeTableIds(cloud.routeTableId)).routeTables().getFirst()
                .routes().stream().map(r -> tuple(r.destinationCidrBlock(), r.instanceId())).toList();
    }

    private static boolean sourceDestCheck(Instance instance) throws CloudException {
        String id = id(instance);
        return cloud.ec2.describeInstanceAttribute(r -> r.instanceId(id).attribute("sourceDestCheck"))
                .sourceDestCheck().value();
    }

    private static String id(Instance instance) throws CloudException {
        return AwsProviderIds.instanceId(instance.providerId());
    }
}
