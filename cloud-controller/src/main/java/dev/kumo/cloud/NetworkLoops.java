package dev.kumo.cloud;

import dev.kumo.cloud.local.LocalNetwork;
import dev.kumo.cloud.route.RouteController;
import dev.kumo.cloud.service.ServiceController;
import dev.kumo.controllers.lambda.LoopCatalog;
import dev.kumo.controllers.lambda.LoopSource;

import java.util.List;
import java.util.Map;

/**
 * The cloud controller's network loops, the service and route controllers, added to {@link LoopCatalog} through
 * {@link LoopSource}. They run as {@value LoopCatalog#CLOUD_CONTROLLER_USER} and take their cloud from the function's
 * settings: {@value #ENV_PROVIDER} {@code local} gives the local provider's load balancers and routes, kept under
 * {@value LocalNetwork#ENV_DIRECTORY}.
 */
public final class NetworkLoops implements LoopSource {
    /** Which cloud the loops talk to (the same setting names the provider of the instance loops). */
    public static final String ENV_PROVIDER = "KUMO_CLOUD_PROVIDER";
    public static final String LOCAL = "local";

    @Override
    public List<LoopCatalog.Entry> entries() {
        return List.of(
                new LoopCatalog.Entry(ServiceController.NAME, ServiceController.COMPONENT,
                        LoopCatalog.CLOUD_CONTROLLER_USER, ServiceController.keys(),
                        context -> ServiceController.loop(context, loadBalancers(context.settings()))),
                new LoopCatalog.Entry(RouteController.NAME, RouteController.COMPONENT,
                        LoopCatalog.CLOUD_CONTROLLER_USER, RouteController.keys(),
                        context -> RouteController.loop(context, routes(context.settings()))));
    }

    static LoadBalancers loadBalancers(Map<String, String> settings) {
        return switch (provider(settings)) {
            case LOCAL -> LocalNetwork.loadBalancers(settings);
            default -> throw unknown(settings);
        };
    }

    static Routes routes(Map<String, String> settings) {
        return switch (provider(settings)) {
            case LOCAL -> LocalNetwork.routes(settings);
            default -> throw unknown(settings);
        };
    }

    private static String provider(Map<String, String> settings) {
        return settings.getOrDefault(ENV_PROVIDER, "");
    }

    private static IllegalStateException unknown(Map<String, String> settings) {
        return new IllegalStateException("no cloud provider \"" + provider(settings) + "\" in this build ("
                + ENV_PROVIDER + "); known: " + LOCAL);
    }
}
