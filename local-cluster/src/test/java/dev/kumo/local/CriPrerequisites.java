package dev.kumo.local;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.util.List;

/** What the tests of real node namespaces need (root, ip, nft...): without it they skip, or fail under CI. */
final class CriPrerequisites {
    private CriPrerequisites() {
    }

    static void require() throws Exception {
        List<String> missing = NodeRuntimeChoice.missingForCri();
        if (!missing.isEmpty()) {
            String message = "node namespaces need: " + String.join(", ", missing);
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
    }
}
