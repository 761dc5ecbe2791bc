package dev.paperlab.models.lm;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Character-level vocabulary: the sorted set of distinct code points of a text (as nanoGPT's
 * shakespeare_char). Unknown characters are an error naming the character, since silently
 * mapping them would corrupt training data.
 */
public final class CharVocabulary implements TextCodec {
    private final int[] codePoints;
    private final Map<Integer, Integer> index = new TreeMap<>();

    public CharVocabulary(int[] sortedCodePoints) {
        this.codePoints = sortedCodePoints.clone();
        for (int i = 0; i < codePoints.length; i++) {
            if (i > 0 && codePoints[i] <= codePoints[i - 1]) {
                throw new IllegalArgumentException("code points must be strictly increasing at index " + i);
            }
            index.put(codePoints[i], i);
        }
    }

    /** The vocabulary of every distinct code point in {@code text}. */
    public static CharVocabulary of(String text) {
        TreeSet<Integer> set = new TreeSet<>();
        text.codePoints().forEach(set::add);
        return new CharVocabulary(set.stream().mapToInt(Integer::intValue).toArray());
    }

    public int[] codePoints() {
        return codePoints.clone();
    }

    @Override
    public int[] encode(String text) {
        return text.codePoints()
                .map(cp -> {
                    Integer id = index.get(cp);
                    if (id == null) {
                        throw new IllegalArgumentException(
                                "character '" + new String(Character.toChars(cp)) + "' (U+" + Integer.toHexString(cp)
                                        + ") is not in the " + codePoints.length + "-character vocabulary");
                    }
                    return id;
                })
                .toArray();
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            sb.appendCodePoint(codePoints[id]);
        }
        return sb.toString();
    }

    @Override
    public int vocabSize() {
        return codePoints.length;
    }

    @Override
    public String describe() {
        return "chars";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CharVocabulary c && Arrays.equals(c.codePoints, codePoints);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codePoints);
    }
}
