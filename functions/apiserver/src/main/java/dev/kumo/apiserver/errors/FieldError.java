package dev.kumo.apiserver.errors;

/** One problem with one field, with a path like {@code spec.containers[0].image}, as Kubernetes reports it. */
public record FieldError(Type type, String field, String value, String detail) {

    public enum Type {
        REQUIRED("FieldValueRequired", "Required value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value"),
        FORBIDDEN("FieldValueForbidden", "Forbidden"),
        TOO_LONG("FieldValueTooLong", "Too long"),
        DUPLICATE("FieldValueDuplicate", "Duplicate value");

        public final String reason;
        final String text;

        Type(String reason, String text) {
            this.reason = reason;
            this.text = text;
        }
    }

    public static FieldError required(String field, String detail) {
        return new FieldError(Type.REQUIRED, field, null, detail);
    }

    public static FieldError invalid(String field, Object value, String detail) {
        return new FieldError(Type.INVALID, field, String.valueOf(value), detail);
    }

    public static FieldError notSupported(String field, Object value, String detail) {
        return new FieldError(Type.NOT_SUPPORTED, field, String.valueOf(value), detail);
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(Type.FORBIDDEN, field, null, detail);
    }

    public static FieldError duplicate(String field, Object value) {
        return new FieldError(Type.DUPLICATE, field, String.valueOf(value), null);
    }

    public static FieldError tooLong(String field, int max) {
        return new FieldError(Type.TOO_LONG, field, null, "must have at most " + max + " bytes");
    }

    /** The message of a Status cause: what is wrong with the value. */
    public String detailMessage() {
        String base = value == null ? type.text : type.text + ": \"" + value + "\"";
        return detail == null || detail.isEmpty() ? base : base + ": " + detail;
    }

    @Override
    public String toString() {
        return field + ": " + detailMessage();
    }
}
