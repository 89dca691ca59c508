package dev.kumo.apiserver.protobuf.build;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The kinds a Kubernetes API package's register.go adds in addKnownTypes: {@code &Pod{}, &PodList{}, ...}. */
final class RegisteredKinds {
    private static final Pattern KNOWN_TYPE = Pattern.compile("&(\\w+)\\{}");

    private RegisteredKinds() {
    }

    static List<String> parse(String registerGo) {
        int start = registerGo.indexOf("func addKnownTypes(");
        if (start < 0) {
            throw new IllegalArgumentException("register.go has no func addKnownTypes");
        }
        int end = registerGo.indexOf("\n}", start);
        Matcher matcher = KNOWN_TYPE.matcher(registerGo.substring(start, end < 0 ? registerGo.length() : end));
        List<String> kinds = new ArrayList<>();
        while (matcher.find()) {
            kinds.add(matcher.group(1));
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("addKnownTypes in register.go adds no kinds");
        }
        return kinds;
    }
}
