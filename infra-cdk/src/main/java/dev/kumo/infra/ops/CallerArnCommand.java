package dev.kumo.infra.ops;

import software.amazon.awssdk.http.SdkHttpClient;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/**
 * {@code caller-arn}: the IAM ARN of whoever runs {@code kumo deploy} (STS {@code GetCallerIdentity}), as the
 * cluster's admin: an assumed role's session ARN becomes its role's ARN, as the API's IAM authenticator
 * canonicalises it, so that every session of the role is admin.
 */
final class CallerArnCommand implements OpsMain.Command {
    @Override
    public String usage() {
        return "caller-arn [--region R]";
    }

    @Override
    public Set<String> options() {
        return Set.of("--region");
    }

    @Override
    public void run(OpsArgs args, Map<String, String> env, SdkHttpClient http, PrintStream out) throws IOException {
        AwsCall aws = AwsCall.withDefaultCredentials(http, args.region(env), env);
        String xml = aws.query("sts", Map.of("Action", "GetCallerIdentity", "Version", "2011-06-15"));
        out.println(adminArn(StackOutputs.text(StackOutputs.document(xml).getDocumentElement(), "Arn")));
    }

    /** {@code arn:aws:sts::123:assumed-role/Name/session} → {@code arn:aws:iam::123:role/Name}; others as they are. */
    static String adminArn(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length == 6 && parts[2].equals("sts") && parts[5].startsWith("assumed-role/")) {
            String role = parts[5].split("/")[1];
            return parts[0] + ":" + parts[1] + ":iam::" + parts[4] + ":role/" + role;
        }
        return arn;
    }
}
