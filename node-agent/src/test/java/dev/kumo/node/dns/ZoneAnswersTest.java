package dev.kumo.node.dns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The zone's answers, name by name, from Services and EndpointSlices as the API serves them. */
class ZoneAnswersTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Name ZONE = Name.fromConstantString("cluster.local.");

    private final ClusterRecords records = new ClusterRecords(Clock.systemUTC());
    private final ZoneAnswers answers = zone(PodRecords.INSECURE);

    ZoneAnswersTest() {
        records.putService(json("""
                {"kind": "Service", "metadata": {"namespace": "default", "name": "web"},
                 "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"],
                          "ports": [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 8080},
                                    {"name": "dns", "protocol": "UDP", "port": 53}]}}"""));
        records.putSlice(json("""
                {"kind": "EndpointSlice", "metadata": {"namespace": "default", "name": "web-x1",
                   "labels": {"kubernetes.io/service-name": "web"}},
                 "addressType": "IPv4",
                 "endpoints": [{"addresses": ["10.244.0.9"], "conditions": {"ready": true}}],
                 "ports": [{"name": "http", "protocol": "TCP", "port": 8080}]}"""));
        records.putService(json("""
                {"kind": "Service", "metadata": {"namespace": "default", "name": "db"},
                 "spec": {"clusterIP": "None", "clusterIPs": ["None"],
                          "ports": [{"name": "pg", "protocol": "TCP", "port": 5432}]}}"""));
        records.putSlice(json("""
                {"kind": "EndpointSlice", "metadata": {"namespace": "default", "name": "db-abc",
                   "labels": {"kubernetes.io/service-name": "db"}},
                 "addressType": "IPv4",
                 "endpoints": [{"addresses": ["10.244.0.5"], "hostname": "db-0", "conditions": {"ready": true}},
                               {"addresses": ["10.244.1.6"], "conditions": {}},
                               {"addresses": ["10.244.1.7"], "hostname": "db-2", "conditions": {"ready": false}}],
                 "ports": [{"name": "pg", "protocol": "TCP", "port": 5433}]}"""));
        records.putService(json("""
                {"kind": "Service", "metadata": {"namespace": "default", "name": "pending"},
                 "spec": {"clusterIP": "None", "publishNotReadyAddresses": true, "ports": []}}"""));
        records.putSlice(json("""
                {"kind": "EndpointSlice", "metadata": {"namespace": "default", "name": "pending-1",
                   "labels": {"kubernetes.io/service-name": "pending"}},
                 "addressType": "IPv4",
                 "endpoints": [{"addresses": ["10.244.2.9"], "conditions": {"ready": false}}]}"""));
        records.putService(json("""
                {"kind": "Service", "metadata": {"namespace": "default", "name": "empty"},
                 "spec": {"clusterIP": "None", "ports": [{"name": "x", "port": 1}]}}"""));
        records.putService(json("""
                {"kind": "Service", "metadata": {"namespace": "default", "name": "ext"},
                 "spec": {"type": "ExternalName", "externalName": "example.com"}}"""));
        records.putService(json("""
                {"kind": "Service", "metadata": {"namespace": "default", "name": "six"},
                 "spec": {"clusterIP": "fd00::10", "clusterIPs": ["fd00::10"], "ipFamilies": ["IPv6"],
                          "ports": [{"port": 443}]}}"""));
        records.putService(json("""
                {"kind": "Service", "metadata": {"namespace": "other", "name": "web"},
                 "spec": {"clusterIP": "10.96.0.20", "ports": [{"name": "http", "port": 80}]}}"""));
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            web.default.svc.cluster.local.             | A     | NOERROR  | A 10.96.0.10
            WEB.Default.SVC.cluster.local.             | A     | NOERROR  | A 10.96.0.10
            web.default.svc.cluster.local.             | AAAA  | NOERROR  | -
            web.default.svc.cluster.local.             | MX    | NOERROR  | -
            web.default.svc.cluster.local.             | SRV   | NOERROR  | SRV 0 50 80 web.default.svc.cluster.local.;SRV 0 50 53 web.default.svc.cluster.local.
            _http._tcp.web.default.svc.cluster.local.  | SRV   | NOERROR  | SRV 0 100 80 web.default.svc.cluster.local.
            _dns._udp.web.default.svc.cluster.local.   | SRV   | NOERROR  | SRV 0 100 53 web.default.svc.cluster.local.
            _http._udp.web.default.svc.cluster.local.  | SRV   | NXDOMAIN | -
            _nope._tcp.web.default.svc.cluster.local.  | SRV   | NXDOMAIN | -
            _http._tcp.web.default.svc.cluster.local.  | A     | NOERROR  | -
            10-244-0-9.web.default.svc.cluster.local.  | A     | NOERROR  | A 10.244.0.9
            web.other.svc.cluster.local.               | A     | NOERROR  | A 10.96.0.20
            db.default.svc.cluster.local.              | A     | NOERROR  | A 10.244.0.5;A 10.244.1.6
            db-0.db.default.svc.cluster.local.         | A     | NOERROR  | A 10.244.0.5
            10-244-1-6.db.default.svc.cluster.local.   | A     | NOERROR  | A 10.244.1.6
            db-2.db.default.svc.cluster.local.         | A     | NXDOMAIN | -
            10-244-1-7.db.default.svc.cluster.local.   | A     | NXDOMAIN | -
            nobody.db.default.svc.cluster.local.       | A     | NXDOMAIN | -
            _pg._tcp.db.default.svc.cluster.local.     | SRV   | NOERROR  | SRV 0 50 5433 db-0.db.default.svc.cluster.local.;SRV 0 50 5433 10-244-1-6.db.default.svc.cluster.local.
            pending.default.svc.cluster.local.         | A     | NOERROR  | A 10.244.2.9
            empty.default.svc.cluster.local.           | A     | NXDOMAIN | -
            empty.default.svc.cluster.local.           | SRV   | NXDOMAIN | -
            ext.default.svc.cluster.local.             | A     | NOERROR  | CNAME example.com.
            ext.default.svc.cluster.local.             | AAAA  | NOERROR  | CNAME example.com.
            six.default.svc.cluster.local.             | AAAA  | NOERROR  | AAAA fd00:0:0:0:0:0:0:10
            six.default.svc.cluster.local.             | A     | NOERROR  | -
            missing.default.svc.cluster.local.         | A     | NXDOMAIN | -
            web.nowhere.svc.cluster.local.             | A     | NXDOMAIN | -
            default.svc.cluster.local.                 | A     | NOERROR  | -
            nowhere.svc.cluster.local.                 | A     | NXDOMAIN | -
            x.y.web.default.svc.cluster.local.         | A     | NXDOMAIN | -
            a.b.c.web.default.svc.cluster.local.       | A     | NXDOMAIN | -
            example.com.default.svc.cluster.local.     | A     | NXDOMAIN | -
            10-244-0-5.default.pod.cluster.local.      | A     | NOERROR  | A 10.244.0.5
            10-244-0-5.anywhere.pod.cluster.local.     | A     | NOERROR  | A 10.244.0.5
            10-244-0-5.default.pod.cluster.local.      | AAAA  | NOERROR  | -
            fd00--1.default.pod.cluster.local.         | AAAA  | NOERROR  | AAAA fd00:0:0:0:0:0:0:1
            not-an-ip.default.pod.cluster.local.       | A     | NXDOMAIN | -
            300-1-1-1.default.pod.cluster.local.       | A     | NXDOMAIN | -
            cluster.local.                             | A     | NOERROR  | -
            cluster.local.                             | NS    | NOERROR  | NS ns.dns.cluster.local.
            svc.cluster.local.                         | A     | NOERROR  | -
            dns-version.cluster.local.                 | TXT   | NOERROR  | TXT "1.1.0"
            foo.cluster.local.                         | A     | NXDOMAIN | -
            web.default.svd.cluster.local.             | A     | NXDOMAIN | -
            10.0.96.10.in-addr.arpa.                   | PTR   | NOERROR  | PTR web.default.svc.cluster.local.
            5.0.244.10.in-addr.arpa.                   | PTR   | NOERROR  | PTR db-0.db.default.svc.cluster.local.
            6.1.244.10.in-addr.arpa.                   | PTR   | NOERROR  | PTR 10-244-1-6.db.default.svc.cluster.local.
            """)
    void answers(String name, String type, String rcode, String expected) {
        Answer answer = answers.answer(Name.fromConstantString(name), Type.value(type));
        assertThat(answer).isInstanceOf(Answer.Authoritative.class);
        Answer.Authoritative authoritative = (Answer.Authoritative) answer;
        assertThat(authoritative.rcodeName()).isEqualTo(rcode);
        assertThat(texts(authoritative.answers()))
                .containsExactlyInAnyOrderElementsOf(expected == null ? List.of() : Arrays.asList(expected.split(";")));
        assertThat(authoritative.answers()).allSatisfy(record -> {
            assertThat(record.getName()).isEqualTo(Name.fromConstantString(name));
            assertThat(record.getTTL()).isEqualTo(type.equals("TXT") ? 28800 : 5);
        });
        if (authoritative.answers().isEmpty()) {
            // negative answers carry the SOA, whose minimum (the negative-caching TTL) is the zone's TTL
            assertThat(authoritative.authority()).singleElement().isInstanceOfSatisfying(SOARecord.class, soa -> {
                assertThat(soa.getName()).isEqualTo(ZONE);
                assertThat(soa.getMinimum()).isEqualTo(5);
            });
        }
    }

    @ParameterizedTest(name = "{0} {1} is forwarded")
    @CsvSource(delimiter = '|', textBlock = """
            example.com.               | A
            local.                     | A
            cluster.local.example.     | A
            8.8.8.8.in-addr.arpa.      | PTR
            96.10.in-addr.arpa.        | PTR
            10.0.96.10.in-addr.arpa.   | A
            """)
    void namesOutsideTheClusterAreForwarded(String name, String type) {
        assertThat(answers.answer(Name.fromConstantString(name), Type.value(type))).isSameAs(Answer.FORWARD);
    }

    @Test
    void srvAnswersCarryTheTargetsAddressesAsAdditional() {
        Answer.Authoritative headless = authoritative("_pg._tcp.db.default.svc.cluster.local.", Type.SRV);
        assertThat(headless.additional()).extracting(record -> record.getName() + " " + record.rdataToString())
                .containsExactlyInAnyOrder("db-0.db.default.svc.cluster.local. 10.244.0.5",
                        "10-244-1-6.db.default.svc.cluster.local. 10.244.1.6");
        Answer.Authoritative clusterIp = authoritative("_http._tcp.web.default.svc.cluster.local.", Type.SRV);
        assertThat(clusterIp.additional()).extracting(record -> record.getName() + " " + record.rdataToString())
                .containsExactly("web.default.svc.cluster.local. 10.96.0.10");
    }

    @Test
    void answersFollowChangesToTheRecords() {
        records.removeService(json("""
                {"metadata": {"namespace": "default", "name": "web"}}"""));
        assertThat(authoritative("web.default.svc.cluster.local.", Type.A).rcodeName()).isEqualTo("NXDOMAIN");
        assertThat(authoritative("web.other.svc.cluster.local.", Type.A).rcodeName()).isEqualTo("NOERROR");

        records.putSlice(json("""
                {"kind": "EndpointSlice", "metadata": {"namespace": "default", "name": "db-abc",
                   "labels": {"kubernetes.io/service-name": "db"}},
                 "addressType": "IPv4",
                 "endpoints": [{"addresses": ["10.244.1.7"], "hostname": "db-2", "conditions": {"ready": true}}]}"""));
        assertThat(texts(authoritative("db.default.svc.cluster.local.", Type.A).answers()))
                .containsExactly("A 10.244.1.7");

        // a slice relabelled to another service leaves the first one
        records.putSlice(json("""
                {"kind": "EndpointSlice", "metadata": {"namespace": "default", "name": "db-abc",
                   "labels": {"kubernetes.io/service-name": "pending"}},
                 "addressType": "IPv4",
                 "endpoints": [{"addresses": ["10.244.1.8"], "conditions": {"ready": true}}]}"""));
        assertThat(authoritative("db.default.svc.cluster.local.", Type.A).rcodeName()).isEqualTo("NXDOMAIN");
        assertThat(texts(authoritative("pending.default.svc.cluster.local.", Type.A).answers()))
                .containsExactlyInAnyOrder("A 10.244.2.9", "A 10.244.1.8");

        records.removeSlice(json("""
                {"metadata": {"namespace": "default", "name": "pending-1"}}"""));
        assertThat(texts(authoritative("pending.default.svc.cluster.local.", Type.A).answers()))
                .containsExactly("A 10.244.1.8");
    }

    @Test
    void verifiedPodRecordsNeedAPodWithThatAddressInTheNamespace() {
        ZoneAnswers verified = zone(PodRecords.VERIFIED);
        Name name = Name.fromConstantString("10-244-3-4.team.pod.cluster.local.");
        assertThat(rcode(verified, name)).isEqualTo("NXDOMAIN");
        records.putPod(json("""
                {"metadata": {"namespace": "team", "name": "p"},
                 "status": {"podIP": "10.244.3.4", "podIPs": [{"ip": "10.244.3.4"}]}}"""));
        assertThat(rcode(verified, name)).isEqualTo("NOERROR");
        assertThat(rcode(verified, Name.fromConstantString("10-244-3-4.elsewhere.pod.cluster.local.")))
                .isEqualTo("NXDOMAIN");
        records.putPod(json("""
                {"metadata": {"namespace": "team", "name": "p", "deletionTimestamp": "2026-11-23T23:00:00Z"},
                 "status": {"podIP": "10.244.3.4", "podIPs": [{"ip": "10.244.3.4"}]}}"""));
        assertThat(rcode(verified, name)).isEqualTo("NXDOMAIN");
        records.putPod(json("""
                {"metadata": {"namespace": "team", "name": "p"},
                 "status": {"podIP": "10.244.3.4", "podIPs": [{"ip": "10.244.3.4"}]}}"""));
        records.removePod(json("""
                {"metadata": {"namespace": "team", "name": "p"}}"""));
        assertThat(rcode(verified, name)).isEqualTo("NXDOMAIN");

        assertThat(rcode(zone(PodRecords.DISABLED), Name.fromConstantString("10-244-0-5.default.pod.cluster.local.")))
                .isEqualTo("NXDOMAIN");
    }

    @Test
    void theApexHasTheSoaAndTheNameServerItsAddress() throws Exception {
        ZoneAnswers withAddress = new ZoneAnswers(records, ZONE, 5, PodRecords.INSECURE,
                List.of(InetAddress.getByName("10.96.0.10")));
        Answer.Authoritative soa = (Answer.Authoritative) withAddress.answer(ZONE, Type.SOA);
        assertThat(soa.answers()).singleElement().isInstanceOfSatisfying(SOARecord.class, record -> {
            assertThat(record.getHost()).isEqualTo(Name.fromConstantString("ns.dns.cluster.local."));
            assertThat(record.getSerial()).isEqualTo(records.modified());
        });
        Answer.Authoritative ns = (Answer.Authoritative) withAddress.answer(
                Name.fromConstantString("ns.dns.cluster.local."), Type.A);
        assertThat(texts(ns.answers())).containsExactly("A 10.96.0.10");
    }

    @Test
    void ipv6EndpointNamesAreTheCompressedAddressWithDashes() throws Exception {
        assertThat(ZoneAnswers.compressed(InetAddress.getByName("fd00:0:0:0:0:0:0:1"))).isEqualTo("fd00::1");
        assertThat(ZoneAnswers.compressed(InetAddress.getByName("fd00:1:0:0:2:0:0:0"))).isEqualTo("fd00:1:0:0:2::");
        assertThat(ZoneAnswers.compressed(InetAddress.getByName("fd00:1:2:3:4:5:6:7"))).isEqualTo("fd00:1:2:3:4:5:6:7");
        assertThat(ZoneAnswers.endpointName(new ClusterRecords.Endpoint(List.of(), "", true),
                InetAddress.getByName("fd00::a:1"))).isEqualTo("fd00--a-1");
    }

    private ZoneAnswers zone(PodRecords pods) {
        return new ZoneAnswers(records, ZONE, 5, pods, List.of());
    }

    private Answer.Authoritative authoritative(String name, int type) {
        return (Answer.Authoritative) answers.answer(Name.fromConstantString(name), type);
    }

    private static String rcode(ZoneAnswers zone, Name name) {
        return Rcode.string(((Answer.Authoritative) zone.answer(name, Type.A)).rcode());
    }

    private static List<String> texts(List<Record> records) {
        return records.stream().map(record -> Type.string(record.getType()) + " " + record.rdataToString()).toList();
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
