package dev.kumo.apimachinery.kubelet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 chunked transfer coding, for a body written as it is produced (a log, a watch), its length unknown. */
public final class ChunkedOutputStream extends OutputStream {
    private final OutputStream out;

    public ChunkedOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return; // an empty chunk would end the body
        }
        out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes, offset, length);
        out.write(new byte[] {'\r', '\n'});
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Ends the body (the last, empty chunk); the stream underneath stays open. */
    public void finish() throws IOException {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
