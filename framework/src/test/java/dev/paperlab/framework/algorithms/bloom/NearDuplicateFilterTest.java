package dev.paperlab.framework.algorithms.bloom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class NearDuplicateFilterTest {

    static String randomDoc(Random rnd, int words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            sb.append("w").append(rnd.nextInt(5000)).append(' ');
        }
        return sb.toString();
    }

    @Test
    void shinglesGoldenExample() {
        assertEquals(List.of("the cat", "cat the", "the hat"), NearDuplicateFilter.shingles("The cat, the HAT!", 2));
        assertEquals(List.of("one two"), NearDuplicateFilter.shingles("One two", 5));
        assertEquals(List.of(), NearDuplicateFilter.shingles(" ,;! ", 3));
    }

    /**
     * The one-pass {@code shingleHashes} equals hashing the UTF-8 of each {@code shingles} string,
     * on texts drawn from characters where lower-casing or word splitting is delicate: final sigma,
     * dotted capital I (lower-cases to i and a combining mark, which is not a word character),
     * letters outside the BMP, letter and other numbers, marks, controls, lone surrogates.
     */
    @Property(tries = 200)
    void oneShingleHashPassEqualsHashingTheShingleStrings(@ForAll long seed) {
        String[] pieces = {
            "a", "Z", "7", " ", ",", "-", "\n", "\t", "ΟΔΟΣ", "σ", "İ", "ß", "Ǆ", "ﬁ", "é", "e\u0301", "𝐀", "𐐀", "😀",
            "Ⅻ", "½", "٣", "中文", "\u00a0", "\u200b", "\ud800", "\udc00", "_", "'", "ǅ", "ʰ"
        };
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = rnd.nextInt(40); i > 0; i--) {
            sb.append(pieces[rnd.nextInt(pieces.length)]);
        }
        String text = sb.toString();
        for (int w = 1; w <= 4; w++) {
            List<String> shingles = NearDuplicateFilter.shingles(text, w);
            long[] hashes = NearDuplicateFilter.shingleHashes(text, w);
            assertEquals(2 * shingles.size(), hashes.length, text);
            for (int i = 0; i < shingles.size(); i++) {
                var h = BloomFilter.hash(shingles.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertEquals(h.h1(), hashes[2 * i], "h1 of '" + shingles.get(i) + "' in '" + text + "'");
                assertEquals(h.h2(), hashes[2 * i + 1], "h2 of '" + shingles.get(i) + "' in '" + text + "'");
            }
        }
    }

    @Test
    void rejectsExactAndNearDuplicatesAndKeepsNewText() {
        NearDuplicateFilter filter = NearDuplicateFilter.create(10_000, 0.001, 3, 0.8);
        Random rnd = new Random(1);
        String doc = randomDoc(rnd, 100);
        assertTrue(filter.offer(doc));
        assertFalse(filter.offer(doc), "exact duplicate");
        assertFalse(filter.offer(doc.toUpperCase().replace(" ", ",  ")), "same words, other case/punctuation");
        String[] words = doc.trim().split(" ");
        words[50] = "changed";
        // One changed word breaks 3 of 98 shingles: containment 95/98 >= 0.8.
        assertFalse(filter.offer(String.join(" ", words)), "one word changed");
        assertTrue(filter.offer(randomDoc(rnd, 100)), "unrelated document");
        assertTrue(filter.offer(""), "text without words is always new");
    }

    /** Exact reference: containment against a HashSet of the shingles seen so far. */
    @Property(tries = 30)
    void bloomContainmentNeverUnderestimatesTheExactOne(@ForAll long seed) {
        Random rnd = new Random(seed);
        NearDuplicateFilter filter = NearDuplicateFilter.create(5_000, 0.001, 2, 1.0);
        Set<String> seen = new HashSet<>();
        List<String> docs = new ArrayList<>();
        for (int d = 0; d < 40; d++) {
            // Small vocabulary so documents share shingles.
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                sb.append("t").append(rnd.nextInt(40)).append(' ');
            }
            docs.add(sb.toString());
        }
        for (String doc : docs) {
            List<String> shingles = NearDuplicateFilter.shingles(doc, 2);
            long hits = shingles.stream().filter(seen::contains).count();
            double exact = (double) hits / shingles.size();
            double estimate = filter.containment(doc);
            assertTrue(estimate >= exact, estimate + " < exact " + exact);
            assertTrue(estimate - exact <= 0.1, "estimate " + estimate + " vs exact " + exact);
            if (filter.offer(doc)) {
                seen.addAll(shingles);
            }
        }
    }

    @Test
    void rejectsBadSettings() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> NearDuplicateFilter.create(100, 0.01, 0, 0.8));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NearDuplicateFilter.create(100, 0.01, 3, 1.5));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NearDuplicateFilter.create(100, 2.0, 3, 0.5));
        assertTrue(e.getMessage().contains("2.0"), e.getMessage());
    }

    /**
     * observe() remembers every text, so a corpus cut into consecutive parts, each checked against
     * the OR of the earlier parts' filters, gives exactly the one-pass containments; the shingle
     * hash form gives what the text form gives.
     */
    @Property(tries = 10)
    void observeSplitIntoPartsWithUnionEqualsOnePass(@ForAll long seed) {
        Random rnd = new Random(seed);
        List<String> docs = new ArrayList<>();
        for (int d = 0; d < 60; d++) {
            docs.add(d > 0 && rnd.nextInt(3) == 0 ? docs.get(rnd.nextInt(d)) + " extra" : randomDoc(rnd, 20));
        }
        NearDuplicateFilter one = NearDuplicateFilter.create(2_000, 0.01, 3, 0.7);
        List<Double> expected = new ArrayList<>();
        for (String doc : docs) {
            expected.add(one.observe(doc));
        }
        int[] cuts = {0, 7, 30, 31, 60};
        NearDuplicateFilter prefix = NearDuplicateFilter.create(2_000, 0.01, 3, 0.7);
        List<Double> actual = new ArrayList<>();
        for (int p = 0; p + 1 < cuts.length; p++) {
            NearDuplicateFilter part = NearDuplicateFilter.create(2_000, 0.01, 3, 0.7);
            NearDuplicateFilter check = NearDuplicateFilter.fromSeenBytes(prefix.seenBytes(), 3, 0.7);
            for (String doc : docs.subList(cuts[p], cuts[p + 1])) {
                // the parts go through the hash form, the one pass through the text form
                long[] hashes = NearDuplicateFilter.shingleHashes(doc, 3);
                actual.add(check.observeHashes(hashes));
                part.addHashes(hashes);
            }
            prefix = prefix.union(part);
        }
        assertEquals(expected, actual);
        assertTrue(expected.stream().anyMatch(c -> c >= 0.7), "the corpus has near-duplicates to find");
    }

    @Test
    void unionRejectsOtherSettings() {
        NearDuplicateFilter a = NearDuplicateFilter.create(100, 0.01, 3, 0.7);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> a.union(NearDuplicateFilter.create(100, 0.01, 4, 0.7)));
        assertTrue(e.getMessage().contains("3-word") && e.getMessage().contains("4-word"), e.getMessage());
    }
}
