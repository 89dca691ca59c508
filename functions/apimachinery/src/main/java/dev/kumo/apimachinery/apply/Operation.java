package dev.kumo.apimachinery.apply;

/** How a manager came to own its fields: by server-side apply, or by any other write. */
public enum Operation {
    APPLY("Apply"),
    UPDATE("Update");

    private final String wireName;

    Operation(String wireName) {
        this.wireName = wireName;
    }

    /** The value of {@code managedFields[].operation}. */
    public String wireName() {
        return wireName;
    }

    static Operation parse(String wireName) {
        for (Operation operation : values()) {
            if (operation.wireName.equals(wireName)) {
                return operation;
            }
        }
        throw new InvalidManagedFieldsException("unknown managedFields operation \"" + wireName + "\"");
    }
}
