package io.meridian.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class StaleAeronDirectoriesTest {

    @TempDir
    Path base;

    @Test
    void removesOnlyDirectoriesOfDeadProcesses() throws IOException {
        Path dead = Files.createDirectories(base.resolve("meridian-aeron-4242-1-abcd"));
        Files.writeString(dead.resolve("cnc.dat"), "x");
        Path alive = Files.createDirectories(base.resolve("meridian-aeron-17-2-beef"));
        Path other = Files.createDirectories(base.resolve("aeron-someone-else"));

        int removed = StaleAeronDirectories.removeDead(base.toFile(), pid -> pid == 17);

        assertThat(removed).isEqualTo(1);
        assertThat(dead).doesNotExist();
        assertThat(alive).exists();
        assertThat(other).exists();
    }

    @Test
    void theCurrentProcessIsAliveByDefault() throws IOException {
        Path mine = Files.createDirectories(base.resolve("meridian-aeron-" + ProcessHandle.current().pid() + "-1-0"));
        assertThat(StaleAeronDirectories.removeDead(base.toFile())).isZero();
        assertThat(mine).exists();
        assertThat(StaleAeronDirectories.removeDead(new File(base.toFile(), "missing"))).isZero();
    }
}
