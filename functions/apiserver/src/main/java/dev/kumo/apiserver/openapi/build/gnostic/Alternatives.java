package dev.kumo.apiserver.openapi.build.gnostic;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The messages of {@code OpenAPIv2.proto} whose JSON form takes one of several shapes (a {@code oneof}, or a
 * value that may be single or a list), chosen the way gnostic's parser chooses.
 */
final class Alternatives {
    /** {@code ParametersItem}, {@code ResponseValue}: a {@code JsonReference} (2) or the message itself (1). */
    static MessageEncoder referenceOr(String type) {
        return (json, at, out, messages) -> {
            JsonValues.object(json, at);
            if (json.has("$ref")) {
                out.message(2, messages.encode("JsonReference", json, at));
            } else {
                out.message(1, messages.encode(type, json, at));
            }
        };
    }

    /** {@code Parameter}: {@code BodyParameter} (1) when {@code in} is body, else {@code NonBodyParameter} (2). */
    static final MessageEncoder PARAMETER = (json, at, out, messages) -> {
        if (location(json, at).equals("body")) {
            out.message(1, messages.encode("BodyParameter", json, at));
        } else {
            out.message(2, messages.encode("NonBodyParameter", json, at));
        }
    };

    /** {@code NonBodyParameter}: the sub-schema of the parameter's location. */
    static final MessageEncoder NON_BODY_PARAMETER = (json, at, out, messages) -> {
        switch (location(json, at)) {
            case "header" -> out.message(1, messages.encode("HeaderParameterSubSchema", json, at));
            case "formData" -> out.message(2, messages.encode("FormDataParameterSubSchema", json, at));
            case "query" -> out.message(3, messages.encode("QueryParameterSubSchema", json, at));
            case "path" -> out.message(4, messages.encode("PathParameterSubSchema", json, at));
            default -> throw new IllegalArgumentException("parameter at " + at + " has unknown location " + json.get("in"));
        }
    };

    /** {@code SchemaItem}: a {@code FileSchema} (2) for type file, else a {@code Schema} (1). */
    static final MessageEncoder SCHEMA_ITEM = (json, at, out, messages) -> {
        if (JsonValues.object(json, at).path("type").asText().equals("file")) {
            out.message(2, messages.encode("FileSchema", json, at));
        } else {
            out.message(1, messages.encode("Schema", json, at));
        }
    };

    /** {@code AdditionalPropertiesItem}: a {@code Schema} (1) or a boolean (2). */
    static final MessageEncoder ADDITIONAL_PROPERTIES = (json, at, out, messages) -> {
        if (json.isBoolean()) {
            out.oneofBool(2, json.asBoolean());
        } else {
            out.message(1, messages.encode("Schema", json, at));
        }
    };

    /** {@code TypeItem}: one type name or a list of them, in {@code repeated string value = 1}. */
    static final MessageEncoder TYPE_ITEM = (json, at, out, messages) -> {
        if (json.isArray()) {
            for (int i = 0; i < json.size(); i++) {
                out.repeatedString(1, JsonValues.text(json.get(i), JsonValues.child(at, i)));
            }
        } else {
            out.repeatedString(1, JsonValues.text(json, at));
        }
    };

    /** {@code ItemsItem}: one schema or a list of them, in {@code repeated Schema schema = 1}. */
    static final MessageEncoder ITEMS_ITEM = (json, at, out, messages) -> {
        if (json.isArray()) {
            for (int i = 0; i < json.size(); i++) {
                out.message(1, messages.encode("Schema", json.get(i), JsonValues.child(at, i)));
            }
        } else {
            out.message(1, messages.encode("Schema", json, at));
        }
    };

    /** {@code StringArray}: {@code repeated string value = 1}. */
    static final MessageEncoder STRING_ARRAY = (json, at, out, messages) -> {
        JsonValues.array(json, at);
        for (int i = 0; i < json.size(); i++) {
            out.repeatedString(1, JsonValues.text(json.get(i), JsonValues.child(at, i)));
        }
    };

    /** gnostic's {@code Any}: any JSON value, as YAML text in {@code yaml = 2}. */
    static final MessageEncoder ANY = (json, at, out, messages) -> out.string(2, YamlText.of(json));

    /** {@code SecurityDefinitionsItem}: the security scheme of the definition's type (and OAuth2 flow). */
    static final MessageEncoder SECURITY_DEFINITIONS_ITEM = (json, at, out, messages) -> {
        String type = JsonValues.text(JsonValues.object(json, at).path("type"), JsonValues.child(at, "type"));
        String flow = json.path("flow").asText();
        switch (type + (type.equals("oauth2") ? "/" + flow : "")) {
            case "basic" -> out.message(1, messages.encode("BasicAuthenticationSecurity", json, at));
            case "apiKey" -> out.message(2, messages.encode("ApiKeySecurity", json, at));
            case "oauth2/implicit" -> out.message(3, messages.encode("Oauth2ImplicitSecurity", json, at));
            case "oauth2/password" -> out.message(4, messages.encode("Oauth2PasswordSecurity", json, at));
            case "oauth2/application" -> out.message(5, messages.encode("Oauth2ApplicationSecurity", json, at));
            case "oauth2/accessCode" -> out.message(6, messages.encode("Oauth2AccessCodeSecurity", json, at));
            default -> throw new IllegalArgumentException("security definition at " + at + " has unknown type " + type);
        }
    };

    private Alternatives() {
    }

    private static String location(JsonNode parameter, String at) {
        return JsonValues.text(JsonValues.object(parameter, at).path("in"), JsonValues.child(at, "in"));
    }
}
