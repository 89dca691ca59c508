package dev.kumo.infra.bench;

import java.util.List;
import java.util.Map;

/**
 * What a template's environment values would be once deployed, near enough for the handlers' constructors (which
 * parse URLs, ARNs and names but call nothing): references become plausible names, URLs and ARNs in
 * {@value #REGION} of account {@value #ACCOUNT}; imports are followed into the exporting stack's template.
 */
final class DeployedValues {
    static final String REGION = "us-east-1";
    static final String ACCOUNT = "000000000000";

    private final Map<String, Map<String, Object>> templates;

    /** @param templates every stack's template by stack name */
    DeployedValues(Map<String, Map<String, Object>> templates) {
        this.templates = templates;
    }

    String resolve(String stack, Object value) {
        if (value instanceof String literal) {
            return literal;
        }
        Map<?, ?> expression = (Map<?, ?>) value;
        if (expression.get("Fn::Join") instanceof List<?> join) {
            StringBuilder joined = new StringBuilder();
            List<?> parts = (List<?>) join.get(1);
            for (int i = 0; i < parts.size(); i++) {
                joined.append(i == 0 ? "" : join.get(0)).append(resolve(stack, parts.get(i)));
            }
            return joined.toString();
        }
        if (expression.get("Fn::ImportValue") instanceof String export) {
            return imported(export);
        }
        if (expression.get("Ref") instanceof String id) {
            return switch (type(stack, id)) {
                case "AWS::SQS::Queue" -> "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT + "/" + id;
                case "" -> id.equals("AWS::Region") ? REGION : id.equals("AWS::AccountId") ? ACCOUNT : id;
                default -> id;
            };
        }
        if (expression.get("Fn::GetAtt") instanceof List<?> getAtt) {
            String id = (String) getAtt.get(0);
            String attribute = (String) getAtt.get(1);
            return switch (attribute) {
                case "ApiEndpoint" -> "https://" + id.toLowerCase() + ".execute-api." + REGION + ".amazonaws.com";
                case "StreamArn" -> "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + id + "/stream/2026-01-01T00:00:00.000";
                case "Arn" -> arn(type(stack, id), id);
                default -> id + "." + attribute;
            };
        }
        throw new IllegalArgumentException("cannot resolve " + value + " in " + stack);
    }

    private String imported(String export) {
        for (Map.Entry<String, Map<String, Object>> template : templates.entrySet()) {
            Map<?, ?> outputs = (Map<?, ?>) template.getValue().getOrDefault("Outputs", Map.of());
            for (Object output : outputs.values()) {
                Map<?, ?> out = (Map<?, ?>) output;
                if (out.get("Export") instanceof Map<?, ?> e && export.equals(e.get("Name"))) {
                    return resolve(template.getKey(), out.get("Value"));
                }
            }
        }
        throw new IllegalArgumentException("no stack exports " + export);
    }

    private String type(String stack, String id) {
        Map<?, ?> resources = (Map<?, ?>) templates.get(stack).getOrDefault("Resources", Map.of());
        return resources.get(id) instanceof Map<?, ?> resource ? (String) resource.get("Type") : "";
    }

    private static String arn(String type, String id) {
        return switch (type) {
            case "AWS::KMS::Key" -> "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + id;
            case "AWS::IAM::Role" -> "arn:aws:iam::" + ACCOUNT + ":role/" + id;
            case "AWS::DynamoDB::Table" -> "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + id;
            case "AWS::SQS::Queue" -> "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + id;
            default -> "arn:aws:unknown:" + REGION + ":" + ACCOUNT + ":" + id;
        };
    }
}
