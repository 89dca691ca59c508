package dev.kumo.local.lambda;

/** Something that invokes a function on its own schedule: an event source mapping or a schedule rule. */
public interface LocalEventSource extends AutoCloseable {

    /** Starts polling; a source that cannot reach its resource fails here rather than in the background. */
    void start();

    /** Stops polling and waits for the source's threads; an in-flight invocation is interrupted. */
    @Override
    void close();
}
