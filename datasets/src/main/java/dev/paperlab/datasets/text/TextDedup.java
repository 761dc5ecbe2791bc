package dev.paperlab.datasets.text;

import dev.paperlab.framework.algorithms.bloom.NearDuplicateFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes near-duplicate paragraphs from a corpus before training (as web-scale LM corpora are
 * deduplicated): paragraphs are separated by blank lines and visited in order; one whose word
 * 5-shingles were already seen in earlier paragraphs with containment &gt;= threshold is dropped.
 * Seen shingles live in a Bloom filter ({@link NearDuplicateFilter}), so memory is fixed by the
 * corpus size and the false-positive rate, never by the text itself.
 */
public final class TextDedup {
    private static final Pattern PARAGRAPH = Pattern.compile("\\n\\s*\\n");
    private static final int SHINGLE_WORDS = 5;
    private static final double FPP = 1e-4;

    /** The deduplicated text and how many paragraphs were kept and removed. */
    public record Result(String text, int kept, int removed) {
        public double removedFraction() {
            return kept + removed == 0 ? 0 : (double) removed / (kept + removed);
        }
    }

    private TextDedup() {}

    /**
     * @param threshold containment in (0, 1] at or above which a paragraph counts as a duplicate
     */
    public static Result paragraphs(String text, double threshold) {
        String[] parts = PARAGRAPH.split(text);
        long words = Math.max(1, text.length() / 5);
        NearDuplicateFilter filter = NearDuplicateFilter.create(words, FPP, SHINGLE_WORDS, threshold);
        List<String> kept = new ArrayList<>();
        int removed = 0;
        for (String p : parts) {
            if (filter.offer(p)) {
                kept.add(p);
            } else {
                removed++;
            }
        }
        return new Result(String.join("\n\n", kept), kept.size(), removed);
    }
}
