package dev.kumo.apimachinery.store.dynamodb;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Makes every DynamoDB call report the capacity it consumed and adds it up, so the cost of an API operation is
 * measurable (read and write request units are what on-demand tables bill). Register it on the client with
 * {@code overrideConfiguration(c -> c.addExecutionInterceptor(meter))}.
 */
public final class ConsumedCapacityMeter implements ExecutionInterceptor {
    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();
    private final LongAdder calls = new LongAdder();
    private final CallerBreakdown breakdown = new CallerBreakdown();

    /** Totals since the meter was created. */
    public record Totals(double readUnits, double writeUnits, long calls) {
        public Totals minus(Totals earlier) {
            return new Totals(readUnits - earlier.readUnits, writeUnits - earlier.writeUnits, calls - earlier.calls);
        }
    }

    public Totals totals() {
        return new Totals(readUnits.sum(), writeUnits.sum(), calls.sum());
    }

    /** The same calls by caller and operation (and the API's requests per caller, which the API server adds). */
    public CallerBreakdown breakdown() {
        return breakdown;
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
        return switch (context.request()) {
            case GetItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case PutItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case UpdateItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case DeleteItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case QueryRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case TransactWriteItemsRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case BatchWriteItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            case BatchGetItemRequest r -> r.toBuilder().returnConsumedCapacity(total).build();
            default -> context.request();
        };
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        calls.increment();
        double read = switch (context.response()) {
            case GetItemResponse r -> units(r.consumedCapacity());
            case QueryResponse r -> units(r.consumedCapacity());
            case BatchGetItemResponse r -> r.consumedCapacity().stream().mapToDouble(ConsumedCapacityMeter::units).sum();
            default -> 0;
        };
        double write = switch (context.response()) {
            case PutItemResponse r -> units(r.consumedCapacity());
            case UpdateItemResponse r -> units(r.consumedCapacity());
            case DeleteItemResponse r -> units(r.consumedCapacity());
            case TransactWriteItemsResponse r -> r.consumedCapacity().stream()
                    .mapToDouble(ConsumedCapacityMeter::units).sum();
            case BatchWriteItemResponse r -> r.consumedCapacity().stream()
                    .mapToDouble(ConsumedCapacityMeter::units).sum();
            default -> 0;
        };
        readUnits.add(read);
        writeUnits.add(write);
        breakdown.call(operation(context.request()), read, write);
    }

    /** {@code GetItem} for a {@code GetItemRequest}: the operation's name in DynamoDB's API. */
    private static String operation(SdkRequest request) {
        String name = request.getClass().getSimpleName();
        return name.endsWith("Request") ? name.substring(0, name.length() - "Request".length()) : name;
    }

    /** With TOTAL, DynamoDB reports one figure per call; whether it is read or write follows from the call. */
    private static double units(ConsumedCapacity capacity) {
        return capacity != null && capacity.capacityUnits() != null ? capacity.capacityUnits() : 0;
    }
}
