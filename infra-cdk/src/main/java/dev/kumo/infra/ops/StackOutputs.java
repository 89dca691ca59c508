package dev.kumo.infra.ops;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The outputs of a deployed stack, from CloudFormation's {@code DescribeStacks}. */
final class StackOutputs {
    private StackOutputs() {
    }

    /** The outputs of {@code stack}; fails with a message that says so when the stack does not exist. */
    static Map<String, String> of(AwsCall aws, String stack) throws IOException {
        String xml;
        try {
            xml = aws.query("cloudformation", Map.of("Action", "DescribeStacks", "StackName", stack,
                    "Version", "2010-05-15"));
        } catch (AwsCall.AwsCallException e) {
            if (e.names("does not exist")) {
                throw new IOException("stack " + stack + " does not exist in " + aws.region()
                        + " (deployed with ./kumo deploy? another --region or --cluster?)", e);
            }
            throw e;
        }
        return parse(xml);
    }

    /** The {@code OutputKey}/{@code OutputValue} pairs of a {@code DescribeStacksResponse}'s first stack. */
    static Map<String, String> parse(String xml) throws IOException {
        Map<String, String> outputs = new LinkedHashMap<>();
        NodeList lists = document(xml).getElementsByTagName("Outputs");
        if (lists.getLength() == 0) {
            return outputs;
        }
        NodeList members = ((Element) lists.item(0)).getElementsByTagName("member");
        for (int i = 0; i < members.getLength(); i++) {
            Element member = (Element) members.item(i);
            outputs.put(text(member, "OutputKey"), text(member, "OutputValue"));
        }
        return outputs;
    }

    /** {@code key} of {@code outputs}, or a failure naming the stack and what it does have. */
    static String require(Map<String, String> outputs, String stack, String key) throws IOException {
        String value = outputs.get(key);
        if (value == null || value.isBlank()) {
            throw new IOException("stack " + stack + " has no output " + key + " (it has " + outputs.keySet()
                    + "; deployed by an older kumo? run ./kumo deploy)");
        }
        return value;
    }

    static Document document(String xml) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("not an AWS XML answer: " + e.getMessage(), e);
        }
    }

    static String text(Element parent, String tag) {
        NodeList found = parent.getElementsByTagName(tag);
        return found.getLength() == 0 ? "" : found.item(0).getTextContent().strip();
    }
}
