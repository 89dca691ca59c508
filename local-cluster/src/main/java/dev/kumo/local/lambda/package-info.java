/**
 * The embedded local cluster's Lambda host: runs the same handler classes that CDK deploys, in this JVM, with what
 * AWS does around them.
 *
 * <p>{@link dev.kumo.local.lambda.LocalLambdaHost} is the entry point: {@code createFunction} for each function,
 * {@code createEventSourceMapping} for DynamoDB streams ({@link dev.kumo.local.lambda.DynamoDbStreamMapping}) and SQS
 * queues ({@link dev.kumo.local.lambda.SqsMapping}), {@code putRule} for rate schedules
 * ({@link dev.kumo.local.lambda.ScheduleRule}), {@code invoke} for synchronous calls, then {@code start} and
 * {@code close}.
 *
 * <p>Not reproduced: separate JVMs per execution environment (static state is shared; each concurrent invocation
 * still gets its own handler instance); persisted stream checkpoints (a restarted host starts again from the
 * mapping's starting position); the 6 MB invocation payload limit; MaximumRecordAgeInSeconds,
 * ParallelizationFactor, tumbling windows and event filtering; SQS batching windows and batches above 10; retries
 * of failed asynchronous (schedule) invocations; RequestStreamHandler handlers.
 */
package dev.kumo.local.lambda;
