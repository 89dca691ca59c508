package dev.kumo.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AgentProcessTest {

    @Test
    void aJvmArgumentIsQuotedWithItsQuotesAndBackslashesEscaped() {
        assertThat(AgentProcess.quoted("/opt/kumo lib/a.jar:/b.jar")).isEqualTo("\"/opt/kumo lib/a.jar:/b.jar\"");
        assertThat(AgentProcess.quoted("say \"hi\" \\o/")).isEqualTo("\"say \\\"hi\\\" \\\\o/\"");
    }

    @Test
    void aLogPastItsLimitIsKeptAsTheEarlierOneAndASmallOneLeftToGrow(@TempDir Path dir) throws Exception {
        Path log = dir.resolve(AgentProcess.LOG_FILE);
        java.nio.file.Files.write(log, new byte[(int) AgentProcess.LOG_ROTATE_BYTES + 1]);
        AgentProcess.rotateLog(dir);
        assertThat(log).doesNotExist();
        assertThat(dir.resolve(AgentProcess.LOG_FILE + ".1")).hasSize(AgentProcess.LOG_ROTATE_BYTES + 1);

        java.nio.file.Files.writeString(log, "small\n");
        AgentProcess.rotateLog(dir);
        assertThat(log).hasContent("small");
    }

    /**
     * An agent that outlived a cluster killed with SIGKILL is found by its settings file, last on its command line,
     * and killed; an agent of another node directory is left alone.
     */
    @Test
    void aLeftoverAgentIsKilledByItsSettingsFileAndOnlyThatOne(@TempDir Path home) throws Exception {
        Path mine = home.resolve("kumo-node-1");
        Path other = home.resolve("kumo-node-10");
        Process leftover = standIn(mine);
        Process neighbour = standIn(other);
        try {
            assertThat(AgentProcess.killLeftover(mine)).isEqualTo(1);
            assertThat(leftover.waitFor(10, TimeUnit.SECONDS)).as("the leftover agent ended").isTrue();
            assertThat(neighbour.isAlive()).as("another node's agent").isTrue();
        } finally {
            leftover.destroyForcibly();
            neighbour.destroyForcibly();
        }
    }

    /** A process whose command line names the agent's main class and ends with node directory {@code dir}'s settings. */
    private static Process standIn(Path dir) throws Exception {
        // start() returns once the child has exec'd sh, so its command line is there to read
        return new ProcessBuilder("sh", "-c", "sleep 60", "dev.kumo.node.main.AgentMain",
                AgentProcess.settingsFile(dir.toAbsolutePath()).toString()).start();
    }
}
