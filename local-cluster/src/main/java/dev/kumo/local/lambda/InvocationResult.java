package dev.kumo.local.lambda;

/** A successful invocation: the request id Lambda assigned and what the handler returned (possibly null). */
public record InvocationResult(String requestId, Object payload) {
}
