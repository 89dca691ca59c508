package dev.kumo.controllers.scheduler.plugins.nodename;

import dev.kumo.controllers.scheduler.framework.Status;
import dev.kumo.controllers.scheduler.testing.MakeNode;
import dev.kumo.controllers.scheduler.testing.MakePod;
import dev.kumo.controllers.scheduler.testing.Plugins;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** After kube-scheduler's TestNodeName. */
class NodeNameTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "no host specified, '', true",
            "host matches, foo, true",
            "host doesn't match, bar, false"})
    void filter(String name, String nodeName, boolean fits) {
        MakePod pod = MakePod.pod("p");
        if (!nodeName.isEmpty()) {
            pod.node(nodeName);
        }
        Status status = Plugins.filter(new NodeName(), pod.obj(),
                Plugins.snapshot(List.of(MakeNode.node("foo").obj()), List.of()), "foo");

        assertThat(status).isEqualTo(fits ? Status.SUCCESS
                : Status.unresolvable("node(s) didn't match the requested node name"));
    }
}
