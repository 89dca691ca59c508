package dev.kumo.node.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a POSIX ustar archive: directories, regular files and symbolic links, all owned by root and dated
 * {@code mtime}, so that the same content always gives the same bytes (and so the same image digests).
 */
final class TarWriter implements AutoCloseable {
    private static final int BLOCK = 512;

    private final OutputStream out;
    private final long mtime;

    TarWriter(OutputStream out, long mtime) {
        this.out = out;
        this.mtime = mtime;
    }

    void directory(String name, int mode) throws IOException {
        header(name.endsWith("/") ? name : name + "/", mode, 0, '5', "");
    }

    void file(String name, int mode, byte[] content) throws IOException {
        header(name, mode, content.length, '0', "");
        out.write(content);
        pad(content.length);
    }

    void symlink(String name, String target) throws IOException {
        header(name, 0777, 0, '2', target);
    }

    private void header(String name, int mode, long size, char type, String linkName) throws IOException {
        byte[] header = new byte[BLOCK];
        String prefix = "";
        String shortName = name;
        if (name.getBytes(StandardCharsets.UTF_8).length > 100) {
            int slash = name.lastIndexOf('/', name.length() - 2);
            prefix = name.substring(0, slash);
            shortName = name.substring(slash + 1);
        }
        put(header, 0, 100, shortName);
        octal(header, 100, 8, mode);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, size);
        octal(header, 136, 12, mtime);
        Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = (byte) type;
        put(header, 157, 100, linkName);
        put(header, 257, 6, "ustar");
        put(header, 263, 2, "00");
        put(header, 265, 32, "root");
        put(header, 297, 32, "root");
        put(header, 345, 155, prefix);
        long checksum = 0;
        for (byte b : header) {
            checksum += b & 0xff;
        }
        String sum = String.format("%06o", checksum);
        put(header, 148, 6, sum);
        header[154] = 0;
        header[155] = ' ';
        out.write(header);
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }

    private static void put(byte[] header, int offset, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > length) {
            throw new IllegalArgumentException("does not fit a tar header field of " + length + " bytes: " + value);
        }
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    /** An octal number of {@code length - 1} digits and a NUL. */
    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, length - 1 - digits.length())) + digits;
        put(header, offset, length - 1, padded);
    }

    /** The end of the archive: two empty blocks. */
    @Override
    public void close() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }
}
