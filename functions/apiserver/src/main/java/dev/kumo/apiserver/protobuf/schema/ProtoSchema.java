package dev.kumo.apiserver.protobuf.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The messages the codec knows and which of them each served {@code apiVersion}/{@code kind} is.
 *
 * @param messages every message reachable from a kind; fields refer to each other by index in this list
 * @param kinds    the index of each kind's message
 */
public record ProtoSchema(List<MessageType> messages, Map<TypeName, Integer> kinds) {
    public ProtoSchema {
        messages = List.copyOf(messages);
        kinds = Map.copyOf(kinds);
        for (MessageType message : messages) {
            for (Field field : message.fields()) {
                if (field.message() >= messages.size()) {
                    throw new IllegalArgumentException(message.name() + "." + field.jsonName()
                            + " refers to message " + field.message() + " of " + messages.size());
                }
            }
        }
        for (Map.Entry<TypeName, Integer> kind : kinds.entrySet()) {
            if (kind.getValue() < 0 || kind.getValue() >= messages.size()) {
                throw new IllegalArgumentException("kind " + kind.getKey() + " refers to message " + kind.getValue());
            }
        }
    }

    public MessageType message(int index) {
        return messages.get(index);
    }

    public Optional<MessageType> kind(TypeName type) {
        Integer index = kinds.get(type);
        return index == null ? Optional.empty() : Optional.of(messages.get(index));
    }
}
