package dev.paperlab.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to the pipeline's commands: one {@code error:} line and exit code 2, before any Spark work. */
class PipelineMainTest {
    private static String[] run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = PipelineMain.run(args);
            return new String[] {Integer.toString(code), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void badInputEndsWithOneClearLine(@TempDir Path dir) {
        String[] r = run(
                "corpus",
                "--engine",
                "local",
                "--input",
                dir.resolve("missing").toString(),
                "--output",
                dir.resolve("out").toString());
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("error: --input") && r[1].contains("does not exist"), r[1]);

        r = run(
                "corpus",
                "--engine",
                "local",
                "--input",
                dir.toString(),
                "--output",
                dir.resolve("o").toString(),
                "--vocab-size",
                "100");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("vocab size must be >= 257") && r[1].contains("got 100"), r[1]);

        r = run("plant", "--output", dir.resolve("p").toString(), "--exact", "0.6", "--near", "0.5");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("--exact and --near"), r[1]);
    }
}
