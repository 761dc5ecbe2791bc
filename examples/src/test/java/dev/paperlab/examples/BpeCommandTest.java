package dev.paperlab.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import dev.paperlab.models.tokenizer.BpeTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BpeCommandTest {
    private static final String TEXT = "The quick brown fox jumps over the lazy dog. It's 2024, and the dog's owner"
            + " isn't amused!\nFirst Citizen:\nBefore we proceed any further, hear me speak.\n";

    private static int[] readIds(Path file) throws Exception {
        String all = Files.readString(file).trim();
        return all.isEmpty()
                ? new int[0]
                : Arrays.stream(all.split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }

    private static Path input(Path dir) throws Exception {
        Path file = dir.resolve("input.txt");
        Files.writeString(file, TEXT.repeat(20));
        return file;
    }

    @Test
    void trainThenEncodeRoundTripsThroughTheSavedModel(@TempDir Path dir) throws Exception {
        Path text = input(dir);
        Path modelFile = dir.resolve("tok.bpe");
        CommandRun o = CommandRun.of(
                "bpe",
                "train",
                "--vocab-size",
                "300",
                "--input",
                text.toString(),
                "--model",
                modelFile.toString(),
                "--pattern",
                "cl100k",
                "--out",
                dir.resolve("train").toString());
        assertEquals(0, o.code(), o.err());
        Map<?, ?> s = CommandRun.summary(dir.resolve("train"));
        assertEquals(300, s.get("vocab_size"));
        assertTrue(((Number) s.get("seconds")).doubleValue() >= 0);
        assertTrue(((Number) s.get("bytes_per_token")).doubleValue() > 1, "merges shorten the text");
        Path ids = dir.resolve("ids.txt");
        o = CommandRun.of(
                "bpe",
                "encode",
                "--encoding",
                modelFile.toString(),
                "--input",
                text.toString(),
                "--output",
                ids.toString(),
                "--out",
                dir.resolve("encode").toString());
        assertEquals(0, o.code(), o.err());
        int[] tokens = readIds(ids);
        assertEquals(BpeTokenizer.load(modelFile).decode(tokens), Files.readString(text));
        Map<?, ?> e = CommandRun.summary(dir.resolve("encode"));
        assertEquals(tokens.length, e.get("tokens"));
        assertEquals((int) Files.size(text), ((Number) e.get("bytes")).intValue());
        assertTrue(((Number) e.get("mb_per_second")).doubleValue() > 0);
    }

    @Test
    void encodeWithR50kMatchesJtokkit(@TempDir Path dir) throws Exception {
        Path text = input(dir);
        CommandRun o = CommandRun.of(
                "bpe", "encode", "--encoding", "r50k_base", "--input", text.toString(), "--out", dir.toString());
        assertEquals(0, o.code(), o.err());
        int[] expected = Encodings.newDefaultEncodingRegistry()
                .getEncoding(EncodingType.R50K_BASE)
                .encode(Files.readString(text))
                .toArray();
        assertArrayEquals(expected, readIds(dir.resolve("ids.txt")));
        assertEquals(expected.length, CommandRun.summary(dir).get("tokens"));
    }

    @Test
    void statsReportsGpt2sFirstMerge(@TempDir Path dir) throws Exception {
        CommandRun o = CommandRun.of(
                "bpe", "stats", "--encoding", "r50k_base", "--input", input(dir).toString(), "--out", dir.toString());
        assertEquals(0, o.code(), o.err());
        Map<?, ?> s = CommandRun.summary(dir);
        assertEquals(50257, s.get("vocab_size"));
        assertEquals("␣t", ((List<?>) s.get("first_merges")).get(0), "GPT-2's first merge is 'Ġ t'");
        List<?> used = (List<?>) s.get("most_used_tokens");
        assertEquals(10, used.size());
        long first = ((Number) ((Map<?, ?>) used.get(0)).get("count")).longValue();
        long last = ((Number) ((Map<?, ?>) used.get(9)).get("count")).longValue();
        assertTrue(first >= last);
    }

    @Test
    void badInputExitsWithTwoAndAClearMessage(@TempDir Path dir) throws Exception {
        CommandRun o = CommandRun.of(
                "bpe", "train", "--vocab-size", "256", "--input", input(dir).toString(), "--out", dir.toString());
        assertEquals(2, o.code());
        assertTrue(
                o.err().contains("vocab size 256 is smaller than 256 byte tokens + 1 special tokens = 257"), o.err());
        o = CommandRun.of(
                "bpe",
                "encode",
                "--encoding",
                "p50k_nope",
                "--input",
                input(dir).toString(),
                "--out",
                dir.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("p50k_nope") && o.err().contains("r50k_base"), o.err());
        o = CommandRun.of("bpe");
        assertNotEquals(0, o.code());
        assertTrue(o.err().contains("choose a subcommand"), o.err());
    }

    @Test
    void tourRunsGenerateOnItsOwnLmAndBothBpeStops(@TempDir Path dir) {
        TourCommand tour = new TourCommand();
        new CommandLine(tour).parseArgs("--out", dir.toString());
        List<String> names = tour.stops().stream().map(TourCommand.Stop::name).toList();
        assertTrue(names.indexOf("lm") < names.indexOf("generate"), names.toString());
        assertTrue(names.containsAll(List.of("bpe-train", "bpe-encode")), names.toString());
        TourCommand.Stop generate = tour.stops().get(names.indexOf("generate"));
        List<String> args = generate.args();
        assertEquals(dir.resolve("lm/model").toString(), args.get(args.indexOf("--model") + 1));
    }
}
