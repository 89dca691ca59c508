package dev.kumo.node.volumes;

import java.util.Arrays;

/** One file of a volume's content: its bytes and its permission bits (e.g. 0644). */
public record FileProjection(byte[] data, int mode) {
    @Override
    public boolean equals(Object other) {
        return other instanceof FileProjection that && mode == that.mode && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + mode;
    }

    @Override
    public String toString() {
        return "FileProjection[" + data.length + " bytes, mode " + Integer.toOctalString(mode) + "]";
    }
}
