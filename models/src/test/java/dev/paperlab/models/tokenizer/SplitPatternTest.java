package dev.paperlab.models.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The hand-written scanners cut text exactly as the reference regexes do. */
class SplitPatternTest {
    /** Characters that exercise every branch: classes, contractions, blanks, surrogates. */
    private static final char[] TRICKY = (" \t\n\r\u000B\f\u0085\u00A0\u2003\u3000\u2028"
                    + "'sdmtlverSDLVEſxyzAB019²½Ⅻ٣.,!?-_/\\\"<|>é\u0301日😀\uD800\uDC00")
            .toCharArray();

    @Provide
    Arbitrary<String> trickyStrings() {
        return Arbitraries.of(asCharacters()).list().ofMaxSize(40).map(SplitPatternTest::join);
    }

    private static List<Character> asCharacters() {
        List<Character> cs = new ArrayList<>();
        for (char c : TRICKY) {
            cs.add(c);
        }
        return cs;
    }

    private static String join(List<Character> cs) {
        StringBuilder sb = new StringBuilder();
        cs.forEach(sb::append);
        return sb.toString();
    }

    static List<String> pieces(SplitPattern p, String s, boolean regex) {
        List<String> out = new ArrayList<>();
        SplitPattern.PieceSink sink = (a, b) -> out.add(s.substring(a, b));
        if (regex) {
            p.splitWithRegex(s, 0, s.length(), sink);
        } else {
            p.split(s, 0, s.length(), sink);
        }
        return out;
    }

    @Property(tries = 3000)
    void gpt2ScannerEqualsRegexOnTrickyText(@ForAll("trickyStrings") String s) {
        assertEquals(pieces(SplitPattern.GPT2, s, true), pieces(SplitPattern.GPT2, s, false));
    }

    @Property(tries = 3000)
    void cl100kScannerEqualsRegexOnTrickyText(@ForAll("trickyStrings") String s) {
        assertEquals(pieces(SplitPattern.CL100K, s, true), pieces(SplitPattern.CL100K, s, false));
    }

    @Property(tries = 1000)
    void scannersEqualRegexOnAnyString(@ForAll String s) {
        for (SplitPattern p : SplitPattern.values()) {
            assertEquals(pieces(p, s, true), pieces(p, s, false), p.name());
        }
    }

    @Test
    void scannersEqualRegexOnCorporaAndEdgeCases() {
        List<String> texts = new ArrayList<>(TestTexts.EDGE_CASES);
        texts.add(TestTexts.corpus("tinyshakespeare.txt"));
        texts.add(TestTexts.corpus("wikitext-2-valid.txt"));
        for (SplitPattern p : SplitPattern.values()) {
            for (String t : texts) {
                assertEquals(pieces(p, t, true), pieces(p, t, false), p.name());
            }
        }
    }

    @Test
    void knownSplits() {
        assertEquals(
                List.of("Hello", ",", " world", "'s", " 1234", "  ", " x"),
                pieces(SplitPattern.GPT2, "Hello, world's 1234   x", false));
        assertEquals(
                List.of("Hello", ",", " world", "'s", " ", "123", "4", "  ", " x", "\n\n"),
                pieces(SplitPattern.CL100K, "Hello, world's 1234   x\n\n", false));
        assertEquals(List.of("a b"), pieces(SplitPattern.NONE, "a b", false));
    }
}
