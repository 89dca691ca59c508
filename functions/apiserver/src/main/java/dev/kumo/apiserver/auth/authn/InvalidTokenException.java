package dev.kumo.apiserver.auth.authn;

/**
 * A token that an authenticator recognised as its own kind but that does not hold (expired, badly signed, bound to
 * an object that is gone). The request is answered 401; the message is logged, not sent, so that it cannot help
 * someone guessing tokens.
 */
public final class InvalidTokenException extends RuntimeException {
    public InvalidTokenException(String message) {
        super(message);
    }

    public InvalidTokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
