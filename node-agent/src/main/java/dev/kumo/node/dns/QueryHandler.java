package dev.kumo.node.dns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.util.List;

/**
 * Turns one DNS query into its response: the cluster zone answers from {@link ZoneAnswers}, other names go to the
 * {@link Upstream} (SERVFAIL, and a log line, when it fails). A CNAME answer (an ExternalName service) is followed
 * to its target, inside the zone or upstream, as CoreDNS does. Responses carry EDNS when the query did.
 */
public final class QueryHandler {
    private static final Logger LOG = LoggerFactory.getLogger(QueryHandler.class);
    /** The EDNS payload size this server offers and honours at most (the DNS flag day 2020 value). */
    static final int EDNS_PAYLOAD = 1232;
    private static final int MAX_CNAME_CHAIN = 8;

    private final ZoneAnswers zone;
    private final Upstream upstream;

    public QueryHandler(ZoneAnswers zone, Upstream upstream) {
        this.zone = zone;
        this.upstream = upstream;
    }

    /** The response to {@code query} from {@code client} (for logs). */
    public Message handle(Message query, String client) {
        try {
            return respond(query, client);
        } catch (RuntimeException e) {
            LOG.atError().addKeyValue("name", String.valueOf(query.getQuestion())).addKeyValue("client", client)
                    .setCause(e).log("answering a query failed, answering SERVFAIL");
            return error(query, Rcode.SERVFAIL);
        }
    }

    private Message respond(Message query, String client) {
        Header header = query.getHeader();
        Record question = query.getQuestion();
        if (header.getOpcode() != Opcode.QUERY) {
            return error(query, Rcode.NOTIMP);
        }
        if (question == null) {
            return error(query, Rcode.FORMERR);
        }
        Answer answer = question.getDClass() == DClass.IN || question.getDClass() == DClass.ANY
                ? zone.answer(question.getName(), question.getType()) : Answer.FORWARD;
        if (answer instanceof Answer.Authoritative local) {
            return local(query, question, local, client);
        }
        try {
            Message response = upstream.send(query);
            withEdns(query, response);
            return response;
        } catch (IOException e) {
            LOG.atWarn().addKeyValue("name", question.getName()).addKeyValue("type", Type.string(question.getType()))
                    .addKeyValue("client", client).addKeyValue("upstream", upstream)
                    .log("forwarding failed, answering SERVFAIL: " + e.getMessage());
            return error(query, Rcode.SERVFAIL);
        }
    }

    private Message local(Message query, Record question, Answer.Authoritative answer, String client) {
        Message response = reply(query, answer.rcode());
        response.getHeader().setFlag(Flags.AA);
        answer.answers().forEach(record -> response.addRecord(record, Section.ANSWER));
        answer.authority().forEach(record -> response.addRecord(record, Section.AUTHORITY));
        answer.additional().forEach(record -> response.addRecord(record, Section.ADDITIONAL));
        int type = question.getType();
        List<Record> answers = answer.answers();
        for (int chain = 0; chain < MAX_CNAME_CHAIN && type != Type.CNAME && type != Type.ANY && !answers.isEmpty()
                && answers.getLast() instanceof CNAMERecord cname; chain++) {
            answers = follow(response, cname.getTarget(), type, client);
        }
        return response;
    }

    /** Adds the answers for a CNAME's target to {@code response}; returns them (to follow a further CNAME). */
    private List<Record> follow(Message response, Name target, int type, String client) {
        Answer answer = zone.answer(target, type);
        if (answer instanceof Answer.Authoritative local) {
            local.answers().forEach(record -> response.addRecord(record, Section.ANSWER));
            if (local.rcode() != Rcode.NOERROR) {
                response.getHeader().setRcode(local.rcode());
            }
            return local.answers();
        }
        try {
            Message resolved = upstream.send(Message.newQuery(Record.newRecord(target, type, DClass.IN)));
            List<Record> answers = resolved.getSection(Section.ANSWER);
            answers.forEach(record -> response.addRecord(record, Section.ANSWER));
            if (resolved.getRcode() == Rcode.NXDOMAIN) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
            }
            return List.of(); // the upstream followed its own CNAMEs
        } catch (IOException e) {
            // the CNAME alone is still an answer: the client's resolver may follow it itself
            LOG.atWarn().addKeyValue("name", target).addKeyValue("type", Type.string(type))
                    .addKeyValue("client", client).addKeyValue("upstream", upstream)
                    .log("resolving an ExternalName target upstream failed: " + e.getMessage());
            return List.of();
        }
    }

    /** The most a UDP response to {@code query} may hold: 512 bytes, or what its EDNS offers up to ours. */
    static int maxUdpLength(Message query) {
        OPTRecord opt = query.getOPT();
        return opt == null ? 512 : Math.max(512, Math.min(opt.getPayloadSize(), EDNS_PAYLOAD));
    }

    static Message error(Message query, int rcode) {
        return reply(query, rcode);
    }

    private static Message reply(Message query, int rcode) {
        Message response = new Message(query.getHeader().getID());
        Header header = response.getHeader();
        header.setFlag(Flags.QR);
        header.setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            header.setFlag(Flags.RD);
        }
        header.setOpcode(query.getHeader().getOpcode());
        header.setRcode(rcode);
        if (query.getQuestion() != null) {
            response.addRecord(query.getQuestion(), Section.QUESTION);
        }
        withEdns(query, response);
        return response;
    }

    /** EDNS in the response when (and only when) the query had it. */
    private static void withEdns(Message query, Message response) {
        List<Record> options = response.getSection(Section.ADDITIONAL).stream()
                .filter(record -> record.getType() == Type.OPT).toList();
        options.forEach(option -> response.removeRecord(option, Section.ADDITIONAL));
        if (query.getOPT() != null) {
            response.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
    }
}
