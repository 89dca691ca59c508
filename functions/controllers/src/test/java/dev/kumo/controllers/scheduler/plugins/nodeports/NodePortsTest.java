package dev.kumo.controllers.scheduler.plugins.nodeports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.scheduler.framework.Status;
import dev.kumo.controllers.scheduler.testing.MakeNode;
import dev.kumo.controllers.scheduler.testing.MakePod;
import dev.kumo.controllers.scheduler.testing.Plugins;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** After kube-scheduler's TestNodePorts: ports written PROTOCOL/IP/PORT, several separated by spaces. */
class NodePortsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "nothing running | UDP/127.0.0.1/8080 | '' | true",
            "other port | UDP/127.0.0.1/8080 | UDP/127.0.0.1/9090 | true",
            "same udp port | UDP/127.0.0.1/8080 | UDP/127.0.0.1/8080 | false",
            "same tcp port | TCP/127.0.0.1/8080 | TCP/127.0.0.1/8080 | false",
            "different host ip | TCP/127.0.0.1/8080 | TCP/127.0.0.2/8080 | true",
            "different protocol | UDP/127.0.0.1/8080 | TCP/127.0.0.1/8080 | true",
            "second udp port conflict | UDP/127.0.0.1/8000 UDP/127.0.0.1/8080 | UDP/127.0.0.1/8080 | false",
            "first tcp port conflict | TCP/127.0.0.1/8001 UDP/127.0.0.1/8080 | TCP/127.0.0.1/8001 UDP/127.0.0.1/8081 | false",
            "first tcp port conflict due to 0.0.0.0 hostIP | TCP/0.0.0.0/8001 | TCP/127.0.0.1/8001 | false",
            "TCP hostPort conflict due to 0.0.0.0 hostIP | TCP/10.0.10.10/8001 TCP/0.0.0.0/8001 | TCP/127.0.0.1/8001 | false",
            "second tcp port conflict to 0.0.0.0 hostIP | TCP/127.0.0.1/8001 | TCP/0.0.0.0/8001 | false",
            "second different protocol | UDP/127.0.0.1/8001 | TCP/0.0.0.0/8001 | true",
            "UDP hostPort conflict due to 0.0.0.0 hostIP | UDP/127.0.0.1/8001 | TCP/0.0.0.0/8001 UDP/0.0.0.0/8001 | false",
            "an empty protocol is TCP and an empty address all addresses | TCP//8001 | TCP/10.0.0.1/8001 | false"})
    void filter(String name, String wanted, String used, boolean fits) {
        List<ObjectNode> placed = new ArrayList<>();
        if (!used.isEmpty()) {
            placed.add(MakePod.pod("placed").node("n").hostPorts(used.split(" ")).obj());
        }
        ObjectNode pod = MakePod.pod("p").hostPorts(wanted.split(" ")).obj();

        Status status = Plugins.filter(new NodePorts(), pod, Plugins.snapshot(List.of(MakeNode.node("n").obj()),
                placed), "n");

        assertThat(status).isEqualTo(fits ? Status.SUCCESS
                : Status.unschedulable("node(s) didn't have free ports for the requested pod ports"));
    }
}
