package dev.paperlab.models.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BpeTrainerTest {
    private static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void wikipediaExample() {
        // aaabdaaabac: aa (4 adjacent pairs) -> 256; then ab and (256,a) tie at 2, the smaller
        // pair (97,98) wins -> 257 = ab; then (256,257) -> 258 = aaab.
        BpeTokenizer t = BpeTrainer.builder()
                .setVocabSize(259)
                .optPattern(SplitPattern.NONE)
                .build()
                .train("aaabdaaabac");
        assertEquals("aa", ascii(t.tokenBytes(256)));
        assertEquals("ab", ascii(t.tokenBytes(257)));
        assertEquals("aaab", ascii(t.tokenBytes(258)));
        assertArrayEquals(new int[] {258, 100, 258, 97, 99}, t.encode("aaabdaaabac"));
        assertEquals("aaabdaaabac", t.decode(t.encode("aaabdaaabac")));
    }

    @Test
    void vocabSizeBelowBytesPlusSpecialsIsRejected() {
        var e = assertThrows(
                IllegalArgumentException.class,
                () -> BpeTrainer.builder()
                        .setVocabSize(256)
                        .optSpecialTokens(List.of("<|endoftext|>"))
                        .build());
        assertTrue(e.getMessage().contains("vocab size 256") && e.getMessage().contains("= 257"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BpeTrainer.builder().build());
        assertThrows(
                IllegalArgumentException.class,
                () -> BpeTrainer.builder()
                        .setVocabSize(300)
                        .optSpecialTokens(List.of("<s>", "<s>"))
                        .build());
    }

    /** The incremental counts give the same merges as recounting every pair before each merge. */
    @ParameterizedTest
    @EnumSource(SplitPattern.class)
    void incrementalTrainingEqualsRecountingReference(SplitPattern pattern) {
        String text = TestTexts.corpus("tinyshakespeare.txt").substring(0, 6000) + " 日本語 😀😀 aaaa aaaaa";
        int vocab = 420;
        BpeTokenizer t = BpeTrainer.builder()
                .setVocabSize(vocab)
                .optPattern(pattern)
                .build()
                .train(text);
        List<byte[]> expected = recountingTrainer(text, pattern, vocab);
        assertEquals(expected.size(), t.vocabSize());
        for (int id = 0; id < expected.size(); id++) {
            assertArrayEquals(expected.get(id), t.tokenBytes(id), "token " + id);
        }
    }

    /** Naive BPE training: recount all adjacent pairs before every merge. */
    private static List<byte[]> recountingTrainer(String text, SplitPattern pattern, int vocab) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        pattern.split(text, 0, text.length(), (s, e) -> counts.merge(text.substring(s, e), 1, Integer::sum));
        List<int[]> words = new ArrayList<>();
        List<Integer> freq = new ArrayList<>();
        counts.forEach((w, c) -> {
            byte[] b = w.getBytes(StandardCharsets.UTF_8);
            words.add(java.util.stream.IntStream.range(0, b.length)
                    .map(i -> b[i] & 0xFF)
                    .toArray());
            freq.add(c);
        });
        List<byte[]> tokens = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        for (int v = 0; v < 256; v++) {
            tokens.add(new byte[] {(byte) v});
            ids.put(ascii(tokens.get(v)), v);
        }
        while (tokens.size() < vocab) {
            Map<Long, Long> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                int[] s = words.get(w);
                for (int i = 0; i + 1 < s.length; i++) {
                    pairs.merge(((long) s[i] << 32) | s[i + 1], (long) freq.get(w), Long::sum);
                }
            }
            if (pairs.isEmpty()) {
                break;
            }
            long best = pairs.entrySet().stream()
                    .min((x, y) -> !x.getValue().equals(y.getValue())
                            ? Long.compare(y.getValue(), x.getValue())
                            : Long.compare(x.getKey(), y.getKey()))
                    .get()
                    .getKey();
            int a = (int) (best >>> 32);
            int b = (int) best;
            byte[] joined = new byte[tokens.get(a).length + tokens.get(b).length];
            System.arraycopy(tokens.get(a), 0, joined, 0, tokens.get(a).length);
            System.arraycopy(tokens.get(b), 0, joined, tokens.get(a).length, tokens.get(b).length);
            Integer z = ids.get(ascii(joined));
            if (z == null) {
                z = tokens.size();
                tokens.add(joined);
                ids.put(ascii(joined), z);
            }
            for (int w = 0; w < words.size(); w++) {
                int[] s = words.get(w);
                int[] out = new int[s.length];
                int n = 0;
                for (int i = 0; i < s.length; i++) {
                    if (i + 1 < s.length && s[i] == a && s[i + 1] == b) {
                        out[n++] = z;
                        i++;
                    } else {
                        out[n++] = s[i];
                    }
                }
                words.set(w, Arrays.copyOf(out, n));
            }
        }
        return tokens;
    }

    @Test
    void trainedTokenizerIsLosslessAndCompresses() {
        String text = TestTexts.corpus("tinyshakespeare.txt");
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        double previous = 1.0; // the untrained byte vocabulary: one byte per token
        for (int vocab : new int[] {512, 2048}) {
            BpeTokenizer t = BpeTrainer.builder()
                    .setVocabSize(vocab)
                    .optSpecialTokens(List.of("<|endoftext|>"))
                    .build()
                    .train(text);
            int[] ids = t.encode(text);
            assertEquals(text, t.decode(ids));
            double bytesPerToken = bytes / (double) ids.length;
            // Each doubling of a small vocabulary buys well over 10% on English text.
            assertTrue(bytesPerToken > previous * 1.1, vocab + ": " + bytesPerToken + " vs " + previous);
            previous = bytesPerToken;
        }
        assertTrue(previous > 2.5, "2048 tokens: " + previous + " bytes/token");
    }

    @Test
    void specialsAreCutOutOfTrainingAndGetTheLastIds() {
        String text = "ab ab ab<|endoftext|>".repeat(40); // the special would dominate the pair counts
        BpeTokenizer t = BpeTrainer.builder()
                .setVocabSize(300)
                .optSpecialTokens(List.of("<|endoftext|>"))
                .build()
                .train(text);
        int eot = t.specialTokens().get("<|endoftext|>");
        assertEquals(t.vocabSize() - 1, eot);
        int[] ids = t.encode(text);
        assertEquals(40, Arrays.stream(ids).filter(i -> i == eot).count());
        assertEquals(text, t.decode(ids));
        for (int id = 256; id < eot; id++) {
            assertTrue(!ascii(t.tokenBytes(id)).contains("|"), "no merge across a special: " + ascii(t.tokenBytes(id)));
        }
    }
}
