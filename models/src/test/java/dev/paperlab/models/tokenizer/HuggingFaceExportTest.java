package dev.paperlab.models.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An exported tokenizer.json loads in DJL's Hugging Face tokenizer and encodes identically. */
class HuggingFaceExportTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void nativeLibraryLoadsOffline() {
        try {
            ai.djl.huggingface.tokenizers.jni.LibUtils.checkStatus();
        } catch (Throwable e) {
            assumeTrue(false, "HF tokenizers native library unavailable offline: " + e);
        }
    }

    private static List<String> samples() {
        List<String> out = new ArrayList<>(TestTexts.EDGE_CASES);
        String wiki = TestTexts.corpus("wikitext-2-valid.txt");
        out.addAll(Arrays.asList(wiki.substring(0, 200_000).split("(?<=\n)")));
        out.add(TestTexts.corpus("tinyshakespeare.txt").substring(0, 100_000));
        out.add("doc one<|endoftext|>doc two<|endoftext|>");
        return out;
    }

    private static void assertSameIds(BpeTokenizer ours, String file) throws IOException {
        Path json = dir.resolve(file);
        HuggingFaceExport.write(ours, json);
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(
                json, Map.of("addSpecialTokens", "false", "truncation", "false", "maxLength", "1000000"))) {
            for (String s : samples()) {
                long[] expected = Arrays.stream(ours.encode(s)).asLongStream().toArray();
                assertArrayEquals(expected, hf.encode(s).getIds(), s.length() > 80 ? s.substring(0, 80) : s);
                assertEquals(s, hf.decode(expected, false));
            }
        }
    }

    @Test
    void trainedTokenizersEncodeIdenticallyInHuggingFace() throws IOException {
        String text = TestTexts.corpus("tinyshakespeare.txt");
        for (SplitPattern p : SplitPattern.values()) {
            BpeTokenizer t = BpeTrainer.builder()
                    .setVocabSize(2000)
                    .optPattern(p)
                    .optSpecialTokens(List.of("<|endoftext|>"))
                    .build()
                    .train(text.substring(0, 300_000));
            assertSameIds(t, "trained-" + p + ".json");
        }
    }

    @Test
    void r50kEncodesIdenticallyInHuggingFace() throws IOException {
        assertSameIds(BpeTokenizer.r50kBase(), "r50k.json");
    }

    @Test
    void cl100kEncodesIdenticallyInHuggingFace() throws IOException {
        assertSameIds(BpeTokenizer.cl100kBase(), "cl100k.json");
    }
}
