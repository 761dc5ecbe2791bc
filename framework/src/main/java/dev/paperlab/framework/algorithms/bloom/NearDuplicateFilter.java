package dev.paperlab.framework.algorithms.bloom;

import dev.paperlab.framework.algorithms.hashing.Murmur3;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Streaming near-duplicate detection of lines or documents with word shingles (Broder, 1997)
 * stored in one {@link BloomFilter}.
 *
 * <p>A text is normalised (lower case, split on anything but letters and digits) and cut into
 * its word {@code w}-shingles {@code S(t)}. Its containment in what was seen before is
 * {@code c(t) = |S(t) ∩ seen| / |S(t)|}; {@link #offer} rejects the text when
 * {@code c(t) >= threshold} and otherwise adds its shingles. Exact duplicates have
 * {@code c = 1}. A Bloom filter has no false negatives, so the estimate never falls below the
 * exact containment and exceeds it by about the filter's false-positive rate.
 *
 * <p>{@link #observe} is the order-only variant: it remembers every text's shingles, kept or not,
 * so a text is a near-duplicate of anything earlier. Then the filter after a sequence of texts is
 * the Bloom filter of all their shingles, whatever way it was built, and filters of consecutive
 * parts of a corpus merge by OR ({@link #union}): a corpus split across machines gives exactly the
 * decisions of one pass.
 *
 * <p>A text with fewer than {@code w} words is one shingle; a text with no words has no
 * shingles, containment 0, and is always accepted. Not thread-safe.
 */
public final class NearDuplicateFilter {
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private final BloomFilter seen;
    private final int shingleWords;
    private final double threshold;

    private NearDuplicateFilter(BloomFilter seen, int shingleWords, double threshold) {
        this.seen = seen;
        this.shingleWords = shingleWords;
        this.threshold = threshold;
    }

    /**
     * A filter for about {@code expectedShingles} distinct shingles at Bloom false-positive rate
     * {@code fpp}, shingles of {@code shingleWords} words, rejecting containment >= {@code threshold}.
     */
    public static NearDuplicateFilter create(long expectedShingles, double fpp, int shingleWords, double threshold) {
        if (shingleWords < 1) {
            throw new IllegalArgumentException("shingle size must be >= 1 word, got " + shingleWords);
        }
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("containment threshold must be in (0, 1], got " + threshold);
        }
        return new NearDuplicateFilter(BloomFilter.create(expectedShingles, fpp), shingleWords, threshold);
    }

    /** The estimated fraction of the text's shingles seen before, in [0, 1]. */
    public double containment(String text) {
        return containment(shingleHashes(text, shingleWords));
    }

    private double containment(long[] hashes) {
        int n = hashes.length / 2;
        if (n == 0) {
            return 0;
        }
        int hits = 0;
        for (int i = 0; i < n; i++) {
            if (seen.mightContainHash(hashes[2 * i], hashes[2 * i + 1])) {
                hits++;
            }
        }
        return (double) hits / n;
    }

    /** True when the containment reaches the threshold. */
    public boolean isNearDuplicate(String text) {
        return containment(text) >= threshold;
    }

    /** Accepts and remembers a new text (true), or rejects a near-duplicate (false). */
    public boolean offer(String text) {
        long[] hashes = shingleHashes(text, shingleWords);
        if (hashes.length == 0) {
            return true;
        }
        if (containment(hashes) >= threshold) {
            return false;
        }
        addHashes(hashes);
        return true;
    }

    /**
     * Returns the containment of the text in every text observed or offered before, then remembers
     * its shingles whatever the answer, so later texts are compared with it too.
     */
    public double observe(String text) {
        return observeHashes(shingleHashes(text, shingleWords));
    }

    /**
     * The Bloom hashes of a text's shingles, {@code h1, h2} of each shingle in turn: {@link
     * #observeHashes} on them is {@link #observe} on the text, so a text shingled once can be
     * checked against several filters.
     *
     * <p>The hash of each shingle is that of the UTF-8 of its {@link #shingles} string, computed in
     * one pass: the lower-cased words are written once, separated by single spaces, so shingle
     * {@code i} is the byte range from word {@code i}'s start to word {@code i + w - 1}'s end and no
     * string is built per word or per shingle.
     */
    public static long[] shingleHashes(String text, int shingleWords) {
        if (shingleWords < 1) {
            throw new IllegalArgumentException("shingle size must be >= 1 word, got " + shingleWords);
        }
        String lower = text.toLowerCase(Locale.ROOT);
        int n = lower.length();
        byte[] utf8 = new byte[3 * n]; // <= 3 bytes a char (4 for a pair of 2); a space replaces >= 1 byte-free char
        int[] starts = new int[16];
        int[] ends = new int[16];
        int words = 0;
        int len = 0;
        boolean inWord = false;
        for (int i = 0; i < n; ) {
            int cp = lower.codePointAt(i);
            i += Character.charCount(cp);
            if (isWordChar(cp)) {
                if (!inWord) {
                    if (words == starts.length) {
                        starts = Arrays.copyOf(starts, 2 * words);
                        ends = Arrays.copyOf(ends, 2 * words);
                    }
                    if (words > 0) {
                        utf8[len++] = ' ';
                    }
                    starts[words] = len;
                    inWord = true;
                }
                len = putUtf8(utf8, len, cp);
            } else if (inWord) {
                ends[words++] = len;
                inWord = false;
            }
        }
        if (inWord) {
            ends[words++] = len;
        }
        if (words == 0) {
            return new long[0];
        }
        int count = words < shingleWords ? 1 : words - shingleWords + 1;
        long[] out = new long[2 * count];
        for (int i = 0; i < count; i++) {
            int last = Math.min(i + shingleWords, words) - 1;
            Murmur3.Hash128 h = BloomFilter.hash(utf8, starts[i], ends[last] - starts[i]);
            out[2 * i] = h.h1();
            out[2 * i + 1] = h.h2();
        }
        return out;
    }

    /** A code point of {@code \p{L}} or {@code \p{N}}: the characters of a word. */
    private static boolean isWordChar(int cp) {
        if (cp < 0x80) {
            return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z');
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER,
                    Character.LOWERCASE_LETTER,
                    Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER,
                    Character.OTHER_LETTER,
                    Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER,
                    Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }

    /** Writes the UTF-8 of a valid code point (a word character, never a lone surrogate). */
    private static int putUtf8(byte[] out, int at, int cp) {
        if (cp < 0x80) {
            out[at++] = (byte) cp;
        } else if (cp < 0x800) {
            out[at++] = (byte) (0xC0 | cp >>> 6);
            out[at++] = (byte) (0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            out[at++] = (byte) (0xE0 | cp >>> 12);
            out[at++] = (byte) (0x80 | cp >>> 6 & 0x3F);
            out[at++] = (byte) (0x80 | cp & 0x3F);
        } else {
            out[at++] = (byte) (0xF0 | cp >>> 18);
            out[at++] = (byte) (0x80 | cp >>> 12 & 0x3F);
            out[at++] = (byte) (0x80 | cp >>> 6 & 0x3F);
            out[at++] = (byte) (0x80 | cp & 0x3F);
        }
        return at;
    }

    /** {@link #observe} for a text given by its {@link #shingleHashes}. */
    public double observeHashes(long[] hashes) {
        double c = containment(hashes);
        addHashes(hashes);
        return c;
    }

    /** Remembers the shingles given by their {@link #shingleHashes}, without a containment check. */
    public void addHashes(long[] hashes) {
        for (int i = 0; i + 1 < hashes.length; i += 2) {
            seen.putHash(hashes[i], hashes[i + 1]);
        }
    }

    /** The containment threshold at or above which a text is a near-duplicate. */
    public double threshold() {
        return threshold;
    }

    /** Bits of the underlying Bloom filter. */
    public long bloomBits() {
        return seen.numBits();
    }

    /** Words per shingle. */
    public int shingleWords() {
        return shingleWords;
    }

    /** A new filter that has seen the shingles of both; they must have the same settings and size. */
    public NearDuplicateFilter union(NearDuplicateFilter other) {
        if (other.shingleWords != shingleWords || other.threshold != threshold) {
            throw new IllegalArgumentException("cannot union filters of " + shingleWords + "-word shingles, threshold "
                    + threshold + " and " + other.shingleWords + "-word shingles, threshold " + other.threshold);
        }
        return new NearDuplicateFilter(seen.union(other.seen), shingleWords, threshold);
    }

    /** The seen shingles as {@link BloomFilter#toBytes()}, to ship the filter between machines. */
    public byte[] seenBytes() {
        return seen.toBytes();
    }

    /** A filter that has seen what {@code seenBytes} (from {@link #seenBytes()}) holds. */
    public static NearDuplicateFilter fromSeenBytes(byte[] seenBytes, int shingleWords, double threshold) {
        NearDuplicateFilter check = create(1, 0.5, shingleWords, threshold); // validates the settings
        return new NearDuplicateFilter(BloomFilter.fromBytes(seenBytes), check.shingleWords, check.threshold);
    }

    /**
     * The normalised word {@code w}-shingles of a text, in order, with repeats (the readable
     * definition that {@link #shingleHashes} hashes). Example:
     * {@code shingles("The cat, the HAT!", 2) -> ["the cat", "cat the", "the hat"]}.
     */
    public static List<String> shingles(String text, int w) {
        if (w < 1) {
            throw new IllegalArgumentException("shingle size must be >= 1 word, got " + w);
        }
        List<String> words = new ArrayList<>();
        for (String token : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            if (!token.isEmpty()) {
                words.add(token);
            }
        }
        List<String> out = new ArrayList<>();
        if (words.isEmpty()) {
            return out;
        }
        if (words.size() < w) {
            out.add(String.join(" ", words));
            return out;
        }
        for (int i = 0; i + w <= words.size(); i++) {
            out.add(String.join(" ", words.subList(i, i + w)));
        }
        return out;
    }
}
