package dev.kumo.cloud;

import java.util.List;

/**
 * Routes that send a node's pod CIDR to that node, as cloud-controller-manager's route controller keeps them: in AWS
 * entries of the nodes' VPC route table, locally host routes between the nodes' network namespaces.
 */
public interface Routes {
    /** The cluster's routes. */
    List<Route> list() throws CloudException;

    /** Creates the route; one that exists already with the same target is not an error. */
    void create(Route route) throws CloudException;

    /** Deletes the route; one already gone is not an error. */
    void delete(Route route) throws CloudException;
}
