package dev.paperlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Option parsing and error reporting shared by every command (no training). */
class CliTest {

    private static String help(String... command) {
        CommandLine cli = Main.commandLine();
        for (String name : command) {
            cli = cli.getSubcommands().get(name);
        }
        StringWriter out = new StringWriter();
        cli.usage(new PrintWriter(out, true));
        return out.toString();
    }

    @Test
    void helpListsTheChoicesOfEveryEnumOption() {
        String lm = help("lm");
        for (String choices : new String[] {
            "naive, chunked, flash",
            "mha, gqa, mqa",
            "learned, rope, sinusoidal",
            "chars, bytes, bpe",
            "cpu, gpu",
            "--kv-heads",
            "--seed",
            "--out"
        }) {
            assertTrue(lm.contains(choices), choices + " missing from\n" + lm);
        }
        assertTrue(lm.contains("(default: chunked)"), lm);
        String generate = help("generate");
        for (String choices : new String[] {"greedy, beam, sample", "cpu, gpu", "--seed", "--out"}) {
            assertTrue(generate.contains(choices), choices + " missing from\n" + generate);
        }
        String tour = help("tour");
        for (String option : new String[] {"--seed", "--device", "--out"}) {
            assertTrue(tour.contains(option), option + " missing from\n" + tour);
        }
    }

    /** A bad value for an enum option: one line naming the option, the choices and the value; exit 2. */
    @Test
    void badChoicesGiveOneLineAndExitTwo(@TempDir Path dir) {
        String[][] cases = {
            {"lm", "--attention", "flash"}, {"lm", "--attention-kernel", "tiled"}, {"lm", "--position", "alibi"},
            {"lm", "--tokens", "words"}, {"vae", "--device", "tpu"}, {"generate", "--early-stopping", "soon"},
            {"tour", "--device", "npu"}, {"bpe", "train", "--pattern", "gpt4"}
        };
        String[] expected = {
            "[mha, gqa, mqa]",
            "[naive, chunked, flash]",
            "[learned, rope, sinusoidal]",
            "[chars, bytes, bpe]",
            "[cpu, gpu]",
            "[true, heuristic, never]",
            "[cpu, gpu]",
            "[gpt2, cl100k, none]"
        };
        for (int i = 0; i < cases.length; i++) {
            String[] args = java.util.Arrays.copyOf(cases[i], cases[i].length + 2);
            args[args.length - 2] = "--out";
            args[args.length - 1] = dir.toString();
            CommandRun o = CommandRun.of(args);
            String bad = cases[i][cases[i].length - 1];
            assertEquals(2, o.code(), String.join(" ", args) + "\n" + o.err());
            assertTrue(
                    o.err().startsWith("error: ")
                            && o.err().contains(cases[i][cases[i].length - 2])
                            && o.err().contains(expected[i])
                            && o.err().contains("'" + bad + "'"),
                    o.err());
            assertEquals(1, o.err().strip().lines().count(), o.err());
        }
    }

    @Test
    void enumValuesAreReadInAnyCase(@TempDir Path dir) {
        CommandRun o = CommandRun.of("lm", "--attention", "GQA", "--kv-heads", "1", "--out", dir.toString());
        assertEquals(2, o.code());
        assertEquals(
                "error: --attention gqa and --kv-heads 1 both set the key/value heads; give one",
                o.err().strip());
        o = CommandRun.of("lm", "--heads", "4", "--kv-heads", "3", "--out", dir.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("4 heads are not divisible by 3 kv heads"), o.err());
    }

    private static void idx(Path file, int magic, int[] dims, int dataBytes) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length).putInt(magic);
        for (int d : dims) {
            header.putInt(d);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(header.array());
        bytes.write(new byte[dataBytes]);
        try (OutputStream out = file.toString().endsWith(".gz")
                ? new GZIPOutputStream(Files.newOutputStream(file))
                : Files.newOutputStream(file)) {
            bytes.writeTo(out);
        }
    }

    /**
     * Fashion-MNIST files whose headers promise more than they hold (as after an interrupted
     * copy): the command names the file and what is wrong in one line and exits 2.
     */
    @Test
    void truncatedDataFilesGiveOneLineNamingTheFileAndExitTwo(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        idx(data.resolve("train-images-idx3-ubyte.gz"), 2051, new int[] {60000, 28, 28}, 1000);
        idx(data.resolve("train-labels-idx1-ubyte"), 2049, new int[] {60000}, 100);
        idx(data.resolve("t10k-images-idx3-ubyte"), 2051, new int[] {10000, 28, 28}, 1000);
        idx(data.resolve("t10k-labels-idx1-ubyte.gz"), 2049, new int[] {10000}, 100);
        CommandRun o = CommandRun.of(
                "vae",
                "--data-dir",
                data.toString(),
                "--steps",
                "1",
                "--no-progress",
                "--out",
                dir.resolve("out").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(
                o.err().startsWith("error: ")
                        && o.err().contains("train-images-idx3-ubyte.gz")
                        && o.err().contains("truncated"),
                o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertFalse(o.err().contains("\tat "), o.err());

        // a gzip stream cut in the middle
        Path gz = data.resolve("train-images-idx3-ubyte.gz");
        byte[] whole = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(whole, whole.length / 2));
        o = CommandRun.of(
                "vae",
                "--data-dir",
                data.toString(),
                "--steps",
                "1",
                "--no-progress",
                "--out",
                dir.resolve("out").toString());
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("train-images-idx3-ubyte.gz"), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
    }

    @Test
    void aBugStillShowsItsStackTrace() {
        assertEquals(null, Main.badInputMessage(new IllegalStateException("bug", new NullPointerException())));
        assertEquals(
                "IDX file x: truncated",
                Main.badInputMessage(new IllegalStateException("IDX file x: truncated", new java.io.EOFException())));
        assertEquals(
                "no-such.txt (NoSuchFileException)",
                Main.badInputMessage(new java.nio.file.NoSuchFileException("no-such.txt")));
    }
}
