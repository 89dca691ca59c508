package dev.kumo.cloud;

import dev.kumo.cloud.node.CloudNodeLoop;
import dev.kumo.cloud.provisioner.ProvisionerLoop;
import dev.kumo.cloud.route.RouteController;
import dev.kumo.cloud.service.ServiceController;
import dev.kumo.controllers.lambda.LoopCatalog;
import dev.kumo.controllers.lambda.LoopSource;

import java.util.List;

/**
 * The cloud controller's loops — the provisioner, cloud-node, service and route controllers — added to
 * {@link LoopCatalog} through {@link LoopSource} (this module depends on the controllers, not the other way). They
 * run as {@value LoopCatalog#CLOUD_CONTROLLER_USER} and build their cloud from the function's settings
 * ({@link CloudSettings}).
 */
public final class CloudLoops implements LoopSource {
    @Override
    public List<LoopCatalog.Entry> entries() {
        return List.of(
                new LoopCatalog.Entry(ProvisionerLoop.NAME, ProvisionerLoop.COMPONENT,
                        LoopCatalog.CLOUD_CONTROLLER_USER, ProvisionerLoop.keys(), ProvisionerLoop::loop),
                new LoopCatalog.Entry(CloudNodeLoop.NAME, CloudNodeLoop.COMPONENT, LoopCatalog.CLOUD_CONTROLLER_USER,
                        CloudNodeLoop.keys(), CloudNodeLoop::loop),
                new LoopCatalog.Entry(ServiceController.NAME, ServiceController.COMPONENT,
                        LoopCatalog.CLOUD_CONTROLLER_USER, ServiceController.keys(),
                        context -> ServiceController.loop(context, CloudSettings.loadBalancers(context.settings()))),
                new LoopCatalog.Entry(RouteController.NAME, RouteController.COMPONENT,
                        LoopCatalog.CLOUD_CONTROLLER_USER, RouteController.keys(),
                        context -> RouteController.loop(context, CloudSettings.routes(context.settings()))));
    }
}
