package dev.paperlab.models.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.BeforeContainer;

/** decode(encode(s)) == s for any text, for OpenAI's encodings and trained ones. */
class RoundTripProperties {
    private static List<BpeTokenizer> tokenizers;

    @BeforeContainer
    static void load() {
        String text = TestTexts.corpus("tinyshakespeare.txt").substring(0, 50_000) + " 日本語 😀 ünï";
        tokenizers = List.of(
                BpeTokenizer.r50kBase(),
                BpeTokenizer.cl100kBase(),
                BpeTrainer.builder()
                        .setVocabSize(700)
                        .optSpecialTokens(List.of("<|endoftext|>"))
                        .build()
                        .train(text),
                BpeTrainer.builder()
                        .setVocabSize(700)
                        .optPattern(SplitPattern.CL100K)
                        .build()
                        .train(text),
                BpeTrainer.builder()
                        .setVocabSize(700)
                        .optPattern(SplitPattern.NONE)
                        .build()
                        .train(text));
    }

    /** The string a lone surrogate turns into: each becomes '?', as String.getBytes does. */
    static String withoutLoneSurrogates(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? '?' : c);
            }
        }
        return sb.toString();
    }

    @Provide
    Arbitrary<String> codePointStrings() {
        return Arbitraries.integers()
                .between(0, Character.MAX_CODE_POINT)
                .filter(cp -> Character.getType(cp) != Character.SURROGATE)
                .list()
                .ofMaxSize(60)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
    }

    @Provide
    Arbitrary<String> mixedText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(80),
                Arbitraries.strings().withChars(" \t\n\r\u00A0\u3000'sSltvre").ofMaxLength(40),
                Arbitraries.strings().withCharRange('\u4e00', '\u4fff').ofMaxLength(30),
                Arbitraries.of("😀", "👍🏽", "🇩🇪", "é", "e\u0301", "한국어", " ", "\n")
                        .list()
                        .ofMaxSize(30)
                        .map(l -> String.join("", l)));
    }

    @Property(tries = 300)
    void roundTripsRandomCodePoints(@ForAll("codePointStrings") String s) {
        for (BpeTokenizer t : tokenizers) {
            assertEquals(s, t.decode(t.encode(s)), t.name());
            assertEquals(s, t.buildSentence(t.tokenize(s)), t.name());
        }
    }

    @Property(tries = 300)
    void roundTripsMixedText(@ForAll("mixedText") String s) {
        for (BpeTokenizer t : tokenizers) {
            assertEquals(s, t.decode(t.encodeOrdinary(s)), t.name());
        }
    }

    @Property(tries = 300)
    void anyStringRoundTripsUpToLoneSurrogates(@ForAll String s) {
        String expected = withoutLoneSurrogates(s);
        for (BpeTokenizer t : tokenizers) {
            assertEquals(expected, t.decode(t.encodeOrdinary(s)), t.name());
        }
    }

    @Property(tries = 200)
    void heapMergeEqualsArrayMergeOnLetters(@ForAll("letterRuns") String letters) {
        heapMergeEqualsArrayMerge(letters.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<String> letterRuns() {
        return Arbitraries.strings().withChars("etaoinshrdlu ").ofMinLength(2).ofMaxLength(700);
    }

    @Property(tries = 200)
    void heapMergeEqualsArrayMerge(@ForAll @Size(min = 2, max = 600) byte[] piece) {
        TokenRanks ranks = new TokenRanks(tokenizers.get(0).ranksTable());
        IntList viaArrays = new IntList(16);
        IntList viaHeap = new IntList(16);
        BytePairMerge.encodeShort(ranks, piece, piece.length, viaArrays);
        BytePairMerge.encodeLong(ranks, piece, piece.length, viaHeap);
        assertArrayEquals(viaArrays.toArray(), viaHeap.toArray());
    }
}
