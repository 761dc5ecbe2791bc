package dev.paperlab.datasets.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextDedupTest {
    private static final String A = "the quick brown fox jumps over the lazy dog near the river bank today";
    private static final String B = "a completely different paragraph about training language models on small data";
    private static final String A_EDITED = "the quick brown fox jumps over the lazy dog near the river bank tonight";

    @Test
    void dropsRepeatsAndLightEditsKeepsDistinctParagraphsInOrder() {
        TextDedup.Result r = TextDedup.paragraphs(A + "\n\n" + B + "\n\n" + A + "\n\n" + A_EDITED, 0.8);
        assertEquals(A + "\n\n" + B, r.text());
        assertEquals(2, r.kept());
        assertEquals(2, r.removed());
        assertEquals(0.5, r.removedFraction(), 1e-12);
    }

    @Test
    void aStrictThresholdKeepsLightEdits() {
        TextDedup.Result r = TextDedup.paragraphs(A + "\n\n" + A_EDITED, 1.0);
        assertEquals(2, r.kept());
    }

    @Test
    void rejectsAThresholdOutsideTheUnitInterval() {
        assertThrows(IllegalArgumentException.class, () -> TextDedup.paragraphs(A, 0));
    }
}
