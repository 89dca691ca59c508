package dev.kumo.apiserver.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Converts between how a resource is served at one version and how it is stored. */
public interface Conversion {

    Conversion IDENTITY = new Conversion() {
        @Override
        public ObjectNode toStorage(ObjectNode served) {
            return served;
        }

        @Override
        public ObjectNode fromStorage(ObjectNode stored) {
            return stored;
        }
    };

    ObjectNode toStorage(ObjectNode served);

    ObjectNode fromStorage(ObjectNode stored);
}
