package dev.kumo.apiserver.protobuf;

/**
 * A body that is not a Kubernetes protobuf object the codec can read, or an object it cannot write as one: the
 * message says what and where. For a request body this is the client's fault (400).
 */
public class ProtobufException extends RuntimeException {
    public ProtobufException(String message) {
        super(message);
    }

    public ProtobufException(String message, Throwable cause) {
        super(message, cause);
    }
}
