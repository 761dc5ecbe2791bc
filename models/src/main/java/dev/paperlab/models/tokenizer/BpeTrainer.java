package dev.paperlab.models.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Learns a byte-level BPE vocabulary (Sennrich et al. 2016, Algorithm 1, on bytes as in GPT-2):
 * start from the 256 byte tokens and repeatedly replace the most frequent adjacent pair of symbols
 * {@code (a, b)} by a new symbol {@code ab} until the vocabulary has the requested size.
 *
 * <p>Pairs never cross pre-tokenization pieces ({@link SplitPattern}) or special tokens. Counting
 * is incremental, not a recount per merge: every distinct piece is stored once with its frequency
 * {@code f}; a pair maps to its count and the positions where it starts; merging {@code (a, b)} at
 * a position with neighbours {@code x a b y} applies {@code -f} to {@code (x,a), (b,y)} and {@code
 * +f} to {@code (x,ab), (ab,y)}, and a max-priority queue with lazy deletion (an entry is valid
 * while its count equals the pair's current count) finds the next pair. Occurrences in a piece are
 * merged left to right without overlap ({@code a a a} -> {@code aa a}).
 *
 * <p>Tie-breaking, deterministic: the highest count first, then the smallest left id, then the
 * smallest right id. A pair whose bytes are already a token (reachable by another merge path)
 * reuses that token. Training stops early when no pair is left.
 *
 * <p>Ids: bytes 0..255, then merged tokens in merge order (a token's id is its rank), then the
 * special tokens.
 */
public final class BpeTrainer {
    private final int vocabSize;
    private final SplitPattern pattern;
    private final List<String> specials;
    private final String name;

    private BpeTrainer(Builder b) {
        this.vocabSize = b.vocabSize;
        this.pattern = b.pattern;
        this.specials = List.copyOf(b.specials);
        this.name = b.name != null ? b.name : "bpe-" + b.vocabSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Learns the vocabulary on {@code text} and returns the tokenizer. */
    public BpeTokenizer train(String text) {
        return trainOnCounts(countPieces(text));
    }

    /**
     * Learns the vocabulary from pre-token frequencies, e.g. {@link #countPieces} summed over the
     * parts of a corpus on several machines: {@code train(t)} equals {@code
     * trainOnCounts(countPieces(t))}, and the result does not depend on the map's order (ties are
     * broken by pair ids, never by position).
     */
    public BpeTokenizer trainOnCounts(Map<String, Long> pieceCounts) {
        Corpus corpus = new Corpus(pieceCounts);
        List<byte[]> tokens = new ArrayList<>();
        Map<String, Integer> idOfBytes = new HashMap<>();
        for (int v = 0; v < 256; v++) {
            tokens.add(new byte[] {(byte) v});
            idOfBytes.put(latin1(tokens.get(v)), v);
        }
        int target = vocabSize - specials.size();
        while (tokens.size() < target) {
            long pair = corpus.bestPair();
            if (pair < 0) {
                break; // every piece is a single token
            }
            byte[] left = tokens.get(Corpus.left(pair));
            byte[] right = tokens.get(Corpus.right(pair));
            byte[] joined = Arrays.copyOf(left, left.length + right.length);
            System.arraycopy(right, 0, joined, left.length, right.length);
            Integer z = idOfBytes.get(latin1(joined));
            if (z == null) {
                z = tokens.size();
                tokens.add(joined);
                idOfBytes.put(latin1(joined), z);
            }
            corpus.merge(pair, z);
        }
        Map<String, Integer> specialIds = new LinkedHashMap<>();
        for (String s : specials) {
            specialIds.put(s, tokens.size() + specialIds.size());
        }
        return new BpeTokenizer(name, tokens.toArray(new byte[0][]), pattern, specialIds);
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /**
     * The pre-tokenization pieces of {@code text} ({@link SplitPattern}) with their counts, in
     * order of first appearance; special tokens cut the text and are not counted. Counts of
     * several texts add up: pieces never span two texts separated by a special token.
     */
    public Map<String, Long> countPieces(String text) {
        PieceCounter counts = new PieceCounter();
        SplitPattern.PieceSink sink = (s, e) -> counts.add(text, s, e);
        int i = 0;
        while (i < text.length()) {
            int end = text.length();
            int skip = 0;
            for (String sp : specials) {
                int at = text.indexOf(sp, i);
                if (at >= 0 && (at < end || (at == end && sp.length() > skip))) {
                    end = at;
                    skip = sp.length();
                }
            }
            pattern.split(text, i, end, sink);
            i = end + skip;
        }
        return counts.toMap();
    }

    /** Builder: {@code setVocabSize} is required. */
    public static final class Builder {
        private int vocabSize = -1;
        private SplitPattern pattern = SplitPattern.GPT2;
        private List<String> specials = List.of();
        private String name;

        private Builder() {}

        /** Total vocabulary size: 256 bytes + merged tokens + special tokens. */
        public Builder setVocabSize(int vocabSize) {
            this.vocabSize = vocabSize;
            return this;
        }

        /** Pre-tokenization; default {@link SplitPattern#GPT2}. */
        public Builder optPattern(SplitPattern pattern) {
            this.pattern = pattern;
            return this;
        }

        /** Special tokens, given the last ids in this order; default none. */
        public Builder optSpecialTokens(List<String> specials) {
            this.specials = specials;
            return this;
        }

        /** Name stored with the tokenizer; default {@code bpe-<vocabSize>}. */
        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        public BpeTrainer build() {
            if (pattern == null) {
                throw new IllegalArgumentException(
                        "split pattern is null, expected one of " + Arrays.toString(SplitPattern.values()));
            }
            if (specials.stream().anyMatch(s -> s == null || s.isEmpty())
                    || specials.stream().distinct().count() != specials.size()) {
                throw new IllegalArgumentException("special tokens must be non-empty and distinct: " + specials);
            }
            if (vocabSize < 256 + specials.size()) {
                throw new IllegalArgumentException("vocab size "
                        + vocabSize
                        + " is smaller than 256 byte tokens + "
                        + specials.size()
                        + " special tokens = "
                        + (256 + specials.size()));
            }
            return new BpeTrainer(this);
        }
    }
}
