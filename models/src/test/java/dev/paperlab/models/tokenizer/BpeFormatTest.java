package dev.paperlab.models.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeFormatTest {
    @TempDir
    Path dir;

    private BpeTokenizer trained() {
        String text = TestTexts.corpus("tinyshakespeare.txt").substring(0, 30_000);
        return BpeTrainer.builder()
                .setVocabSize(600)
                .optPattern(SplitPattern.CL100K)
                .optSpecialTokens(List.of("<|endoftext|>", "<pad with space>"))
                .optName("shakespeare-600")
                .build()
                .train(text);
    }

    @Test
    void saveLoadRoundTripKeepsEveryTokenAndEncoding() throws IOException {
        String sample = TestTexts.corpus("wikitext-2-valid.txt").substring(0, 50_000) + "<pad with space>";
        for (BpeTokenizer t : List.of(trained(), BpeTokenizer.r50kBase())) {
            Path file = dir.resolve(t.name() + ".bpe");
            t.save(file);
            BpeTokenizer back = BpeTokenizer.load(file);
            assertEquals(t.name(), back.name());
            assertEquals(t.pattern(), back.pattern());
            assertEquals(t.specialTokens(), back.specialTokens());
            assertEquals(t.vocabSize(), back.vocabSize());
            for (int id = 0; id < t.vocabSize(); id++) {
                assertArrayEquals(t.tokenBytes(id), back.tokenBytes(id), "token " + id);
            }
            assertArrayEquals(t.encode(sample), back.encode(sample));
            assertTrue(Files.readAllLines(file).get(0).equals("paperlab-bpe 1"));
        }
    }

    private IOException loadFails(List<String> lines) throws IOException {
        Path file = dir.resolve("broken.bpe");
        Files.write(file, lines, StandardCharsets.UTF_8);
        return assertThrows(IOException.class, () -> BpeTokenizer.load(file));
    }

    private List<String> savedLines() throws IOException {
        Path file = dir.resolve("ok.bpe");
        trained().save(file);
        return Files.readAllLines(file);
    }

    @Test
    void wrongHeaderOrVersionIsNamed() throws IOException {
        List<String> lines = savedLines();
        lines.set(0, "something else");
        assertTrue(loadFails(lines).getMessage().contains("not a paperlab-bpe file"));
        lines.set(0, "paperlab-bpe 2");
        String msg = loadFails(lines).getMessage();
        assertTrue(msg.contains("version 2") && msg.contains("supports 1"), msg);
    }

    @Test
    void truncatedFileIsNamed() throws IOException {
        List<String> lines = savedLines();
        String msg = loadFails(lines.subList(0, lines.size() / 2)).getMessage();
        assertTrue(msg.contains("truncated") && msg.contains("token"), msg);
        msg = loadFails(lines.subList(0, lines.size() - 1)).getMessage();
        assertTrue(msg.contains("truncated") && msg.contains("'end'"), msg);
    }

    @Test
    void duplicateRankOrBytesIsNamed() throws IOException {
        List<String> lines = savedLines();
        int first = lines.indexOf("tokens 598") + 1;
        String[] a = lines.get(first).split(" ");
        String[] b = lines.get(first + 1).split(" ");
        lines.set(first + 1, b[0] + " " + a[1]);
        String msg = loadFails(lines).getMessage();
        assertTrue(msg.contains("duplicate rank " + a[1]) && msg.contains("line " + (first + 2)), msg);
        lines.set(first + 1, a[0] + " " + b[1]);
        msg = loadFails(lines).getMessage();
        assertTrue(msg.contains("same bytes"), msg);
    }

    @Test
    void malformedLinesAreNamed() throws IOException {
        List<String> lines = savedLines();
        lines.set(2, "pattern GPT5");
        assertTrue(loadFails(lines).getMessage().contains("unknown split pattern 'GPT5'"));
        lines = savedLines();
        int first = lines.indexOf("tokens 598") + 1;
        lines.set(first, "%%% 0");
        assertTrue(loadFails(lines).getMessage().contains("not base64"));
    }
}
