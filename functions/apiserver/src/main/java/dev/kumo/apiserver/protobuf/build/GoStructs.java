package dev.kumo.apiserver.protobuf.build;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The protobuf-tagged fields of the structs in gofmt'ed Go source, e.g.
 * {@code Replicas *int32 `json:"replicas,omitempty" protobuf:"varint,1,opt,name=replicas"`} or the embedded
 * {@code VolumeSource `json:",inline" protobuf:"bytes,2,opt,name=volumeSource"`}. The Kubernetes API types
 * declare one field per line and no anonymous structs, which is all this reads.
 */
final class GoStructs {
    private static final Pattern STRUCT_START = Pattern.compile("^type (\\w+) struct \\{\\s*$");
    private static final Pattern FIELD = Pattern.compile("^\\s+([^`]+?)\\s+`([^`]*)`");
    private static final Pattern TAG = Pattern.compile("(\\w+):\"([^\"]*)\"");

    private GoStructs() {
    }

    /** Struct name to its fields by proto field number, for every struct with protobuf-tagged fields. */
    static Map<String, Map<Integer, GoField>> parse(List<String> sources) {
        Map<String, Map<Integer, GoField>> structs = new HashMap<>();
        for (String source : sources) {
            String struct = null;
            for (String line : source.split("\n")) {
                Matcher start = STRUCT_START.matcher(line);
                if (start.matches()) {
                    struct = start.group(1);
                } else if (line.startsWith("}")) {
                    struct = null;
                } else if (struct != null && !line.trim().startsWith("//")) {
                    GoField field = field(struct, line);
                    if (field != null) {
                        structs.computeIfAbsent(struct, name -> new LinkedHashMap<>()).put(field.number(), field);
                    }
                }
            }
        }
        return structs;
    }

    private static GoField field(String struct, String line) {
        Matcher matcher = FIELD.matcher(line);
        if (!matcher.find()) {
            return null;
        }
        Map<String, String> tags = new HashMap<>();
        Matcher tag = TAG.matcher(matcher.group(2));
        while (tag.find()) {
            tags.put(tag.group(1), tag.group(2));
        }
        String protobuf = tags.get("protobuf");
        if (protobuf == null || protobuf.equals("-")) {
            return null;
        }
        String json = tags.get("json");
        if (json == null) {
            // Only the custom-marshalled types (Duration, Time) have these; were one reached as a plain message,
            // SchemaCompiler would stop on its missing field.
            return null;
        }
        String[] declaration = matcher.group(1).trim().split("\\s+");
        String goType = declaration[declaration.length - 1];
        String[] jsonParts = json.split(",");
        List<String> jsonOptions = List.of(jsonParts).subList(1, jsonParts.length);
        String[] protobufParts = protobuf.split(",");
        if (protobufParts.length < 2) {
            throw new IllegalArgumentException("struct " + struct + ": unexpected protobuf tag \"" + protobuf + "\"");
        }
        return new GoField(Integer.parseInt(protobufParts[1]), jsonParts.length == 0 ? "" : jsonParts[0],
                goType.startsWith("*"), jsonOptions.contains("omitempty"), jsonOptions.contains("inline"));
    }
}
