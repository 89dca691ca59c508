package dev.kumo.apiserver.openapi.build.gnostic;

import java.util.HashMap;
import java.util.Map;

/**
 * The messages of gnostic's {@code openapi.v2} package ({@code openapiv2/OpenAPIv2.proto} of
 * github.com/google/gnostic-models): for each, the swagger 2.0 property names and their field numbers.
 */
final class OpenApiV2Messages {
    private OpenApiV2Messages() {
    }

    static Messages create() {
        Map<String, MessageEncoder> types = new HashMap<>();
        types.put("Document", MessageLayout.named("Document")
                .string("swagger", 1).message("info", 2, "Info").string("host", 3).string("basePath", 4)
                .strings("schemes", 5).strings("consumes", 6).strings("produces", 7)
                .message("paths", 8, "Paths").message("definitions", 9, "Definitions")
                .message("parameters", 10, "ParameterDefinitions").message("responses", 11, "ResponseDefinitions")
                .messages("security", 12, "SecurityRequirement").message("securityDefinitions", 13, "SecurityDefinitions")
                .messages("tags", 14, "Tag").message("externalDocs", 15, "ExternalDocs")
                .vendorExtensions(16));
        types.put("Info", MessageLayout.named("Info")
                .string("title", 1).string("version", 2).string("description", 3).string("termsOfService", 4)
                .message("contact", 5, "Contact").message("license", 6, "License")
                .vendorExtensions(7));
        types.put("Contact", MessageLayout.named("Contact")
                .string("name", 1).string("url", 2).string("email", 3).vendorExtensions(4));
        types.put("License", MessageLayout.named("License").string("name", 1).string("url", 2).vendorExtensions(3));
        types.put("ExternalDocs", MessageLayout.named("ExternalDocs")
                .string("description", 1).string("url", 2).vendorExtensions(3));
        types.put("Tag", MessageLayout.named("Tag")
                .string("name", 1).string("description", 2).message("externalDocs", 3, "ExternalDocs").vendorExtensions(4));
        types.put("JsonReference", MessageLayout.named("JsonReference").string("$ref", 1).string("description", 2).build());
        types.put("Any", Alternatives.ANY);
        putPaths(types);
        putParameters(types);
        putResponses(types);
        putSchemas(types);
        putSecurity(types);
        return new Messages(types);
    }

    private static void putPaths(Map<String, MessageEncoder> types) {
        types.put("Paths", new NamedEntries(2, "PathItem", 1));
        types.put("PathItem", MessageLayout.named("PathItem")
                .string("$ref", 1).message("get", 2, "Operation").message("put", 3, "Operation")
                .message("post", 4, "Operation").message("delete", 5, "Operation").message("options", 6, "Operation")
                .message("head", 7, "Operation").message("patch", 8, "Operation")
                .messages("parameters", 9, "ParametersItem")
                .vendorExtensions(10));
        types.put("Operation", MessageLayout.named("Operation")
                .strings("tags", 1).string("summary", 2).string("description", 3).message("externalDocs", 4, "ExternalDocs")
                .string("operationId", 5).strings("produces", 6).strings("consumes", 7)
                .messages("parameters", 8, "ParametersItem").message("responses", 9, "Responses")
                .strings("schemes", 10).bool("deprecated", 11).messages("security", 12, "SecurityRequirement")
                .vendorExtensions(13));
    }

    private static void putParameters(Map<String, MessageEncoder> types) {
        types.put("ParameterDefinitions", NamedEntries.of("Parameter"));
        types.put("ParametersItem", Alternatives.referenceOr("Parameter"));
        types.put("Parameter", Alternatives.PARAMETER);
        types.put("NonBodyParameter", Alternatives.NON_BODY_PARAMETER);
        types.put("BodyParameter", MessageLayout.named("BodyParameter")
                .string("description", 1).string("name", 2).string("in", 3).bool("required", 4)
                .message("schema", 5, "Schema").vendorExtensions(6));
        types.put("HeaderParameterSubSchema", primitive(parameter("HeaderParameterSubSchema"), 5).vendorExtensions(22));
        types.put("PathParameterSubSchema", primitive(parameter("PathParameterSubSchema"), 5).vendorExtensions(22));
        types.put("QueryParameterSubSchema", primitive(parameter("QueryParameterSubSchema")
                .bool("allowEmptyValue", 5), 6).vendorExtensions(23));
        types.put("FormDataParameterSubSchema", primitive(parameter("FormDataParameterSubSchema")
                .bool("allowEmptyValue", 5), 6).vendorExtensions(23));
        types.put("PrimitivesItems", primitive(MessageLayout.named("PrimitivesItems"), 1).vendorExtensions(18));
    }

    private static void putResponses(Map<String, MessageEncoder> types) {
        types.put("ResponseDefinitions", NamedEntries.of("Response"));
        types.put("Responses", new NamedEntries(1, "ResponseValue", 2));
        types.put("ResponseValue", Alternatives.referenceOr("Response"));
        types.put("Response", MessageLayout.named("Response")
                .string("description", 1).message("schema", 2, "SchemaItem").message("headers", 3, "Headers")
                .message("examples", 4, "Examples").vendorExtensions(5));
        types.put("Headers", NamedEntries.of("Header"));
        types.put("Header", primitive(MessageLayout.named("Header"), 1).string("description", 18).vendorExtensions(19));
        types.put("Examples", NamedEntries.of("Any"));
    }

    private static void putSchemas(Map<String, MessageEncoder> types) {
        types.put("Definitions", NamedEntries.of("Schema"));
        types.put("Properties", NamedEntries.of("Schema"));
        types.put("SchemaItem", Alternatives.SCHEMA_ITEM);
        types.put("AdditionalPropertiesItem", Alternatives.ADDITIONAL_PROPERTIES);
        types.put("TypeItem", Alternatives.TYPE_ITEM);
        types.put("ItemsItem", Alternatives.ITEMS_ITEM);
        types.put("Schema", MessageLayout.named("Schema")
                .string("$ref", 1).string("format", 2).string("title", 3).string("description", 4).any("default", 5)
                .doubleValue("multipleOf", 6).doubleValue("maximum", 7).bool("exclusiveMaximum", 8)
                .doubleValue("minimum", 9).bool("exclusiveMinimum", 10).int64("maxLength", 11).int64("minLength", 12)
                .string("pattern", 13).int64("maxItems", 14).int64("minItems", 15).bool("uniqueItems", 16)
                .int64("maxProperties", 17).int64("minProperties", 18).strings("required", 19).anys("enum", 20)
                .message("additionalProperties", 21, "AdditionalPropertiesItem").message("type", 22, "TypeItem")
                .message("items", 23, "ItemsItem").messages("allOf", 24, "Schema").message("properties", 25, "Properties")
                .string("discriminator", 26).bool("readOnly", 27).message("xml", 28, "Xml")
                .message("externalDocs", 29, "ExternalDocs").any("example", 30)
                .vendorExtensions(31));
        types.put("FileSchema", MessageLayout.named("FileSchema")
                .string("format", 1).string("title", 2).string("description", 3).any("default", 4)
                .strings("required", 5).string("type", 6).bool("readOnly", 7).message("externalDocs", 8, "ExternalDocs")
                .any("example", 9).vendorExtensions(10));
        types.put("Xml", MessageLayout.named("Xml")
                .string("name", 1).string("namespace", 2).string("prefix", 3).bool("attribute", 4).bool("wrapped", 5)
                .vendorExtensions(6));
    }

    private static void putSecurity(Map<String, MessageEncoder> types) {
        types.put("SecurityRequirement", NamedEntries.of("StringArray"));
        types.put("StringArray", Alternatives.STRING_ARRAY);
        types.put("SecurityDefinitions", NamedEntries.of("SecurityDefinitionsItem"));
        types.put("SecurityDefinitionsItem", Alternatives.SECURITY_DEFINITIONS_ITEM);
        types.put("BasicAuthenticationSecurity", MessageLayout.named("BasicAuthenticationSecurity")
                .string("type", 1).string("description", 2).vendorExtensions(3));
        types.put("ApiKeySecurity", MessageLayout.named("ApiKeySecurity")
                .string("type", 1).string("name", 2).string("in", 3).string("description", 4).vendorExtensions(5));
        types.put("Oauth2ImplicitSecurity", oauth2("Oauth2ImplicitSecurity")
                .string("authorizationUrl", 4).string("description", 5).vendorExtensions(6));
        types.put("Oauth2PasswordSecurity", oauth2("Oauth2PasswordSecurity")
                .string("tokenUrl", 4).string("description", 5).vendorExtensions(6));
        types.put("Oauth2ApplicationSecurity", oauth2("Oauth2ApplicationSecurity")
                .string("tokenUrl", 4).string("description", 5).vendorExtensions(6));
        types.put("Oauth2AccessCodeSecurity", oauth2("Oauth2AccessCodeSecurity")
                .string("authorizationUrl", 4).string("tokenUrl", 5).string("description", 6).vendorExtensions(7));
        types.put("Oauth2Scopes", NamedEntries.ofStrings());
    }

    /** The first fields of every non-body parameter sub-schema. */
    private static MessageLayout.Builder parameter(String name) {
        return MessageLayout.named(name).bool("required", 1).string("in", 2).string("description", 3).string("name", 4);
    }

    /** The run of primitive-value fields shared by parameters, headers and items, from field number {@code first}. */
    private static MessageLayout.Builder primitive(MessageLayout.Builder builder, int first) {
        return builder
                .string("type", first).string("format", first + 1).message("items", first + 2, "PrimitivesItems")
                .string("collectionFormat", first + 3).any("default", first + 4)
                .doubleValue("maximum", first + 5).bool("exclusiveMaximum", first + 6)
                .doubleValue("minimum", first + 7).bool("exclusiveMinimum", first + 8)
                .int64("maxLength", first + 9).int64("minLength", first + 10).string("pattern", first + 11)
                .int64("maxItems", first + 12).int64("minItems", first + 13).bool("uniqueItems", first + 14)
                .anys("enum", first + 15).doubleValue("multipleOf", first + 16);
    }

    private static MessageLayout.Builder oauth2(String name) {
        return MessageLayout.named(name).string("type", 1).string("flow", 2).message("scopes", 3, "Oauth2Scopes");
    }
}
