package io.meridian;

import io.meridian.support.LoopbackPorts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Compiles the README's Java snippet against the real API and runs it on a 3-node region. */
@Timeout(120)
class ReadmeTest {

    @TempDir
    Path dir;

    @Test
    void readmeSnippetCompilesAndRuns() throws Exception {
        Path readme = locate("README.md");
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(readme));
        assertThat(m.find()).as("README has a java snippet").isTrue();
        String snippet = m.group(1);
        String source = """
                package readme;
                import io.meridian.*;
                import io.meridian.kv.*;
                import java.nio.file.Path;
                import java.time.Duration;
                import java.util.*;
                public class Snippet {
                    public static void run(ClusterTopology topology, Path dataDir) throws Exception {
                %s
                    }
                }
                """.formatted(snippet);
        Path src = dir.resolve("src/readme/Snippet.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int rc = compiler.run(null, null, errors, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), src.toString());
        assertThat(rc).as("README snippet compiles: %s", errors).isZero();

        ClusterTopology topology = ClusterTopology.builder().region("eu")
                .node("eu-1", LoopbackPorts.endpoint()).node("eu-2", LoopbackPorts.endpoint()).node("eu-3", LoopbackPorts.endpoint()).build();
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Method run = loader.loadClass("readme.Snippet").getMethod("run", ClusterTopology.class, Path.class);
            System.setOut(new PrintStream(out, true));
            run.invoke(null, topology, dir.resolve("data"));
        } finally {
            System.setOut(original);
        }
        assertThat(out.toString()).contains("wrote 1:1, read back hello");
    }

    private static Path locate(String name) {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve(name))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(name + " not found above " + Path.of("").toAbsolutePath());
        }
        return p.resolve(name);
    }
}
