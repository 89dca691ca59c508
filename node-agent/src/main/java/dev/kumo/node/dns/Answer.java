package dev.kumo.node.dns;

import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

import java.util.List;

/** What cluster DNS makes of a question: an answer of its own, or a name that is not its to answer. */
public sealed interface Answer {
    /** A name the cluster does not answer for: it goes to the upstream resolvers. */
    Answer FORWARD = new Forward();

    /** An authoritative answer: its rcode and sections (negative answers carry the zone's SOA as authority). */
    record Authoritative(int rcode, List<Record> answers, List<Record> additional, List<Record> authority)
            implements Answer {
        public Authoritative {
            answers = List.copyOf(answers);
            additional = List.copyOf(additional);
            authority = List.copyOf(authority);
        }

        public String rcodeName() {
            return Rcode.string(rcode);
        }
    }

    /** See {@link #FORWARD}. */
    record Forward() implements Answer {
    }
}
