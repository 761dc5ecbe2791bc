package dev.paperlab.models.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PieceCounterTest {

    /**
     * Against a LinkedHashMap of substrings: the same counts in the same first-appearance order,
     * through several table growths, with pieces whose String hashes collide ("Aa" and "BB" hash
     * alike, and so do all their concatenations of equal length).
     */
    @Test
    void countsAndOrderEqualAMapOfSubstrings() {
        Random rnd = new Random(3);
        String[] atoms = {"Aa", "BB", "x", "é", "😀", " ", "ab", "AaBB", "BBAa"};
        StringBuilder sb = new StringBuilder();
        List<int[]> ranges = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            int start = sb.length();
            for (int j = 1 + rnd.nextInt(i % 7 == 0 ? 12 : 4); j > 0; j--) {
                sb.append(atoms[rnd.nextInt(atoms.length)]);
            }
            ranges.add(new int[] {start, sb.length()});
        }
        String text = sb.toString();
        PieceCounter counter = new PieceCounter();
        Map<String, Long> expected = new LinkedHashMap<>();
        for (int[] r : ranges) {
            counter.add(text, r[0], r[1]);
            expected.merge(text.substring(r[0], r[1]), 1L, Long::sum);
        }
        Map<String, Long> actual = counter.toMap();
        assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(actual.entrySet()));
        assertEquals("Aa".hashCode(), "BB".hashCode()); // the collision the test relies on
    }
}
