package dev.kumo.node.volumes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicWriterTest {
    @TempDir
    Path volume;

    private final AtomicWriter writer() {
        return new AtomicWriter(volume, Clock.systemUTC());
    }

    private static FileProjection file(String text, int mode) {
        return new FileProjection(text.getBytes(StandardCharsets.UTF_8), mode);
    }

    @Test
    void filesAreVisibleThroughRelativeLinksIntoTheCurrentVersion() throws IOException {
        assertThat(writer().write(Map.of("greeting", file("hello", 0644), "nested/deep", file("x", 0400))))
                .isTrue();

        assertThat(Files.readString(volume.resolve("greeting"))).isEqualTo("hello");
        assertThat(Files.readString(volume.resolve("nested/deep"))).isEqualTo("x");
        assertThat(Files.readSymbolicLink(volume.resolve("greeting"))).isEqualTo(Path.of("..data/greeting"));
        assertThat(Files.readSymbolicLink(volume.resolve("..data")).toString()).startsWith("..");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(volume.resolve("greeting"))))
                .isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(volume.resolve("nested/deep"))))
                .isEqualTo("r--------");
    }

    @Test
    void anUnchangedPayloadWritesNothing() throws IOException {
        Map<String, FileProjection> payload = Map.of("a", file("1", 0644));
        writer().write(payload);
        Path version = Files.readSymbolicLink(volume.resolve("..data"));

        assertThat(writer().write(payload)).isFalse();
        assertThat(Files.readSymbolicLink(volume.resolve("..data"))).isEqualTo(version);
        assertThat(writer().write(Map.of("a", file("1", 0600)))).as("a new mode is a change").isTrue();
    }

    @Test
    void anUpdateSwitchesVersionsAndRemovesWhatThePayloadNoLongerHas() throws IOException {
        writer().write(Map.of("a", file("1", 0644), "b", file("2", 0644)));
        writer().write(Map.of("a", file("one", 0644), "c", file("3", 0644)));

        assertThat(Files.readString(volume.resolve("a"))).isEqualTo("one");
        assertThat(Files.readString(volume.resolve("c"))).isEqualTo("3");
        assertThat(Files.exists(volume.resolve("b"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        try (Stream<Path> entries = Files.list(volume)) {
            assertThat(entries.map(path -> path.getFileName().toString()).filter(name -> name.startsWith("..")))
                    .as("one version directory and the ..data link").hasSize(2);
        }
    }

    @Test
    void pathsThatLeaveTheVolumeAreRefused() {
        for (String path : new String[]{"/etc/passwd", "../x", "a/../../x", "..hidden"}) {
            assertThatThrownBy(() -> writer().write(Map.of(path, file("x", 0644)))).as(path)
                    .isInstanceOf(IOException.class).hasMessageContaining("invalid path " + path);
        }
    }
}
