package dev.kumo.node.dns;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Responses as messages: header flags, EDNS, opcodes, and what happens without an upstream. */
class QueryHandlerTest {
    private final QueryHandler handler;

    QueryHandlerTest() throws Exception {
        ClusterRecords records = new ClusterRecords(Clock.systemUTC());
        records.putService(new ObjectMapper().readTree("""
                {"metadata": {"namespace": "default", "name": "web"},
                 "spec": {"clusterIP": "10.96.0.10", "ports": [{"name": "http", "port": 80}]}}"""));
        handler = new QueryHandler(new ZoneAnswers(records, Name.fromConstantString("cluster.local."), 5,
                PodRecords.INSECURE, List.of()), new Upstream(List.of(), Duration.ofSeconds(1)));
    }

    @Test
    void clusterAnswersAreAuthoritativeAndKeepTheQuerysIdAndRecursionFlag() {
        Message query = query("web.default.svc.cluster.local.");
        Message response = handler.handle(query, "test");
        assertThat(response.getHeader().getID()).isEqualTo(query.getHeader().getID());
        assertThat(response.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(response.getHeader().getFlag(Flags.RD)).isTrue();
        assertThat(response.getQuestion()).isEqualTo(query.getQuestion());
        assertThat(response.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("10.96.0.10");
        assertThat(response.getOPT()).isNull();
    }

    @Test
    void ednsIsAnsweredWithEdnsAndBoundsTheUdpSize() {
        Message query = query("web.default.svc.cluster.local.");
        query.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        assertThat(handler.handle(query, "test").getOPT().getPayloadSize()).isEqualTo(QueryHandler.EDNS_PAYLOAD);
        assertThat(QueryHandler.maxUdpLength(query)).isEqualTo(QueryHandler.EDNS_PAYLOAD);
        Message small = query("web.default.svc.cluster.local.");
        small.addRecord(new OPTRecord(100, 0, 0), Section.ADDITIONAL);
        assertThat(QueryHandler.maxUdpLength(small)).isEqualTo(512);
        assertThat(QueryHandler.maxUdpLength(query("web.default.svc.cluster.local."))).isEqualTo(512);
    }

    @Test
    void otherOpcodesAreNotImplementedAndOutsideNamesFailWithoutAnUpstream() {
        Message notify = query("cluster.local.");
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        assertThat(Rcode.string(handler.handle(notify, "test").getRcode())).isEqualTo("NOTIMP");
        Message outside = handler.handle(query("example.com."), "test");
        assertThat(Rcode.string(outside.getRcode())).isEqualTo("SERVFAIL");
        assertThat(outside.getHeader().getFlag(Flags.AA)).isFalse();
    }

    private static Message query(String name) {
        return Message.newQuery(Record.newRecord(Name.fromConstantString(name), Type.A, DClass.IN));
    }
}
