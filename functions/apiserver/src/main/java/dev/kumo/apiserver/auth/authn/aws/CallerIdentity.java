package dev.kumo.apiserver.auth.authn.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apiserver.auth.authn.InvalidTokenException;
import org.w3c.dom.Document;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Who signed an IAM token, as STS's {@code GetCallerIdentity} answered (JSON when asked with
 * {@code Accept: application/json}, XML otherwise), with the ARN that mappings name: an assumed role's session ARN
 * ({@code arn:aws:sts::111122223333:assumed-role/Deployer/alice}) canonicalised to its role
 * ({@code arn:aws:iam::111122223333:role/Deployer}), as aws-iam-authenticator does.
 */
public record CallerIdentity(String arn, String account, String userId, String canonicalArn, String sessionName) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static CallerIdentity of(String arn, String account, String userId) {
        String[] parts = arn.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[1].startsWith("aws")) {
            throw new InvalidTokenException("STS answered an ARN that does not parse: " + arn);
        }
        String partition = parts[1];
        String service = parts[2];
        String[] resource = parts[5].split("/");
        String canonical;
        String session = "";
        switch (service) {
            case "sts" -> {
                if (resource[0].equals("federated-user")) {
                    canonical = arn;
                } else if (resource[0].equals("assumed-role") && resource.length >= 3) {
                    // A role's path is not in the session ARN; its name is, and the last part is the session.
                    canonical = "arn:" + partition + ":iam::" + parts[4] + ":role/"
                            + String.join("/", java.util.Arrays.copyOfRange(resource, 1, resource.length - 1));
                    session = resource[resource.length - 1];
                } else {
                    throw new InvalidTokenException("unrecognized resource " + parts[5] + " for service sts");
                }
            }
            case "iam" -> {
                if (!resource[0].equals("role") && !resource[0].equals("user") && !resource[0].equals("root")) {
                    throw new InvalidTokenException("unrecognized resource " + parts[5] + " for service iam");
                }
                canonical = arn;
            }
            default -> throw new InvalidTokenException("service " + service + " in arn " + arn
                    + " is not a valid service for identities");
        }
        return new CallerIdentity(arn, account, userId, canonical, session);
    }

    /** Parses STS's answer; {@code contentType} chooses JSON or XML. */
    public static CallerIdentity parse(byte[] body, String contentType) {
        if (contentType != null && contentType.contains("json")) {
            try {
                JsonNode result = MAPPER.readTree(body).path("GetCallerIdentityResponse").path("GetCallerIdentityResult");
                return of(required(result.path("Arn").asText(null)), required(result.path("Account").asText(null)),
                        required(result.path("UserId").asText(null)));
            } catch (IOException e) {
                throw new InvalidTokenException("STS answered JSON that does not parse", e);
            }
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(true);
            Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
            return of(required(text(document, "Arn")), required(text(document, "Account")),
                    required(text(document, "UserId")));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new InvalidTokenException("STS answered XML that does not parse: "
                    + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8), e);
        }
    }

    private static String text(Document document, String element) {
        var nodes = document.getElementsByTagNameNS("*", element);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().strip();
    }

    private static String required(String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidTokenException("STS's GetCallerIdentity answer lacks Arn, Account or UserId");
        }
        return value;
    }
}
