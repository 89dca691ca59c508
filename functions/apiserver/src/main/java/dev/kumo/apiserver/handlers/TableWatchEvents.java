package dev.kumo.apiserver.handlers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apiserver.resources.ResourceDefinition;
import dev.kumo.apiserver.table.TableConvertor;

import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The objects of a watch for a client that asked for tables ({@code kubectl get -w}): each one a one-row
 * {@code Table}, with the column definitions in the first only, as kube-apiserver sends them. One per watch.
 */
final class TableWatchEvents implements UnaryOperator<ObjectNode> {
    private final ObjectMapper mapper;
    private final ResourceDefinition def;
    private final TableConvertor.IncludeObject include;
    private final Clock clock;
    private boolean columnsSent;

    TableWatchEvents(ObjectMapper mapper, ResourceDefinition def, TableConvertor.IncludeObject include, Clock clock) {
        this.mapper = mapper;
        this.def = def;
        this.include = include;
        this.clock = clock;
    }

    @Override
    public ObjectNode apply(ObjectNode object) {
        ObjectNode metadata = mapper.createObjectNode().put("resourceVersion", Meta.resourceVersion(object));
        ObjectNode table = def.table().toTable(mapper, List.of(object), metadata, include, clock);
        if (columnsSent) {
            table.remove("columnDefinitions");
        }
        columnsSent = true;
        return table;
    }
}
