package dev.kumo.node.stats;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The summary API's {@code FsStats} for a file system: capacity, what an unprivileged writer may still use
 * (available) and what is in use (capacity less free, as cadvisor counts it). Inode counts are not reported: the
 * JDK offers no statvfs.
 */
public record FsStats(Instant time, Long availableBytes, Long capacityBytes, Long usedBytes) {

    /** The file system that holds {@code path}. */
    public static FsStats of(Path path, Instant time) throws IOException {
        FileStore store = Files.getFileStore(path);
        long capacity = store.getTotalSpace();
        return new FsStats(time, store.getUsableSpace(), capacity, capacity - store.getUnallocatedSpace());
    }
}
