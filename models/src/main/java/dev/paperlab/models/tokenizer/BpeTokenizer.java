package dev.paperlab.models.tokenizer;

import ai.djl.modality.nlp.preprocess.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level byte pair encoding (Sennrich et al. 2016; byte-level vocabulary of GPT-2, Radford et
 * al. 2019), encoded by merge rank as OpenAI's tiktoken does.
 *
 * <p>Encoding of a text {@code x}:
 *
 * <pre>
 *   pieces  = split(x)                          pre-tokenization, {@link SplitPattern}
 *   b       = utf8(piece)                       bytes b_1 .. b_n, each a base token
 *   repeat: i* = argmin_i rank(t_i || t_i+1)    lowest rank, leftmost on ties
 *           t_i* := t_i* || t_i*+1              merge until no concatenation is a token
 * </pre>
 *
 * A piece that is a token as a whole is emitted directly. Special tokens (e.g. {@code
 * <|endoftext|>}) are matched in the text before splitting by {@link #encode}; {@link
 * #encodeOrdinary} treats them as plain text. Decoding concatenates token bytes and reads UTF-8.
 *
 * <p>Text is turned into bytes like {@code String.getBytes(UTF_8)}: a lone surrogate becomes {@code
 * '?'} (what JTokkit's r50k encoder does; its cl100k parser instead rejects such input). So {@code
 * decode(encode(s)).equals(s)} for every string without lone surrogates.
 *
 * <p>As a DJL {@link Tokenizer}, tokens are strings of GPT-2's byte-level characters ({@code
 * "Ġthe"} for bytes {@code " the"}), and special tokens are their own text.
 *
 * <p>Thread-safe: the only shared mutable state is a bounded concurrent cache of pieces that need
 * merging.
 */
public final class BpeTokenizer implements Tokenizer {
    private static final int CACHE_LIMIT = 1 << 16;

    private final String name;
    private final TokenRanks ranks;
    private final SplitPattern pattern;
    private final Map<String, Integer> specials;
    private final String[] specialText;
    private final int[] specialId;
    private final int vocabSize;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    BpeTokenizer(String name, byte[][] bytesOfRank, SplitPattern pattern, Map<String, Integer> specials) {
        this.name = name;
        this.ranks = new TokenRanks(bytesOfRank);
        this.pattern = pattern;
        this.specials = Collections.unmodifiableMap(new LinkedHashMap<>(specials));
        this.specialText = specials.keySet().toArray(new String[0]);
        this.specialId = new int[specialText.length];
        int limit = ranks.rankLimit();
        Set<Integer> taken = new HashSet<>();
        for (int k = 0; k < specialText.length; k++) {
            int id = specials.get(specialText[k]);
            if (specialText[k].isEmpty()) {
                throw new IllegalArgumentException("special token of id " + id + " is empty");
            }
            if (id < 0 || ranks.bytes(id) != null || !taken.add(id)) {
                throw new IllegalArgumentException(
                        "special token " + specialText[k] + " has id " + id + ", which is taken");
            }
            specialId[k] = id;
            limit = Math.max(limit, id + 1);
        }
        this.vocabSize = limit;
    }

    /** GPT-2's r50k_base, see {@link OpenAiEncodings#r50kBase()}. */
    public static BpeTokenizer r50kBase() {
        return OpenAiEncodings.r50kBase();
    }

    /** GPT-4's cl100k_base, see {@link OpenAiEncodings#cl100kBase()}. */
    public static BpeTokenizer cl100kBase() {
        return OpenAiEncodings.cl100kBase();
    }

    /** Reads a {@code .tiktoken} rank file (one {@code base64(token) rank} per line). */
    public static BpeTokenizer fromTiktoken(
            String name, InputStream ranks, SplitPattern pattern, Map<String, Integer> specials) throws IOException {
        return new BpeTokenizer(name, BpeFormat.readTiktoken(ranks, name), pattern, specials);
    }

    /** Loads a tokenizer saved with {@link #save}. */
    public static BpeTokenizer load(Path file) throws IOException {
        return BpeFormat.read(file);
    }

    /** Saves in paperlab's versioned text format, see {@link BpeFormat}. */
    public void save(Path file) throws IOException {
        BpeFormat.write(this, file);
    }

    /** Token ids of {@code text}; special token strings in it become their ids. */
    public int[] encode(String text) {
        IntList out = new IntList(text.length() / 3);
        Pieces pieces = new Pieces(text, out);
        int[] next = new int[specialText.length];
        for (int k = 0; k < next.length; k++) {
            next[k] = text.indexOf(specialText[k]);
        }
        int i = 0;
        while (true) {
            int best = -1;
            for (int k = 0; k < next.length; k++) {
                if (next[k] >= 0 && next[k] < i) {
                    next[k] = text.indexOf(specialText[k], i); // overlapped by an earlier match
                }
                if (next[k] >= 0
                        && (best < 0
                                || next[k] < next[best]
                                || (next[k] == next[best] && specialText[k].length() > specialText[best].length()))) {
                    best = k;
                }
            }
            int end = best < 0 ? text.length() : next[best];
            pattern.split(text, i, end, pieces);
            if (best < 0) {
                return out.toArray();
            }
            out.add(specialId[best]);
            i = end + specialText[best].length();
        }
    }

    /** Token ids of {@code text}, where special token strings are ordinary text. */
    public int[] encodeOrdinary(String text) {
        IntList out = new IntList(text.length() / 3);
        pattern.split(text, 0, text.length(), new Pieces(text, out));
        return out.toArray();
    }

    /** Encodes each piece: the whole piece if it is a token, else a cached or fresh merge. */
    private final class Pieces implements SplitPattern.PieceSink {
        private final String text;
        private final IntList out;
        private byte[] buf = new byte[64];

        Pieces(String text, IntList out) {
            this.text = text;
            this.out = out;
        }

        @Override
        public void accept(int start, int end) {
            if (buf.length < Utf8.maxBytes(end - start)) {
                buf = new byte[Utf8.maxBytes(end - start)];
            }
            int n = Utf8.encode(text, start, end, buf);
            int whole = ranks.rank(buf, 0, n);
            if (whole >= 0) {
                out.add(whole);
                return;
            }
            if (n >= BytePairMerge.LONG_PIECE) {
                BytePairMerge.merge(ranks, buf, n, out);
                return;
            }
            String key = text.substring(start, end);
            int[] ids = cache.get(key);
            if (ids != null) {
                out.addAll(ids);
                return;
            }
            int from = out.size();
            BytePairMerge.merge(ranks, buf, n, out);
            if (cache.size() < CACHE_LIMIT) {
                cache.put(key, out.tail(from));
            }
        }
    }

    /** The bytes of the tokens, concatenated. */
    public byte[] decodeBytes(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            out.writeBytes(tokenBytes(id));
        }
        return out.toByteArray();
    }

    /**
     * The text of the tokens; invalid UTF-8 (a token sequence cut mid-character) becomes U+FFFD.
     */
    public String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** The bytes of one token (the UTF-8 of its text for a special token). */
    public byte[] tokenBytes(int id) {
        byte[] b = ranks.bytes(id);
        if (b != null) {
            return b;
        }
        for (int k = 0; k < specialId.length; k++) {
            if (specialId[k] == id) {
                return specialText[k].getBytes(StandardCharsets.UTF_8);
            }
        }
        throw new IllegalArgumentException(
                "token id " + id + " is not in the vocabulary of " + name + " (ids 0.." + (vocabSize - 1) + ")");
    }

    /** {@inheritDoc} Tokens are byte-level strings ({@code "Ġthe"}) or special token text. */
    @Override
    public List<String> tokenize(String sentence) {
        int[] ids = encode(sentence);
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            byte[] b = ranks.bytes(id);
            tokens.add(b != null ? ByteLevel.toChars(b) : new String(tokenBytes(id), StandardCharsets.UTF_8));
        }
        return tokens;
    }

    /** {@inheritDoc} The inverse of {@link #tokenize}. */
    @Override
    public String buildSentence(List<String> tokens) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String token : tokens) {
            if (specials.containsKey(token)) {
                out.writeBytes(token.getBytes(StandardCharsets.UTF_8));
            } else {
                ByteLevel.toBytes(token, out);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Name, e.g. {@code r50k_base}. */
    public String name() {
        return name;
    }

    /** One past the largest id, ordinary or special. */
    public int vocabSize() {
        return vocabSize;
    }

    /** Number of ordinary (byte sequence) tokens, 256 of them single bytes. */
    public int ordinaryTokenCount() {
        return ranks.size();
    }

    public SplitPattern pattern() {
        return pattern;
    }

    /** Special token text to id, in declaration order. */
    public Map<String, Integer> specialTokens() {
        return specials;
    }

    /** Ordinary token bytes by rank ({@code null} at unused ranks), for writers in this package. */
    byte[][] ranksTable() {
        byte[][] table = new byte[ranks.rankLimit()][];
        for (int r = 0; r < table.length; r++) {
            table[r] = ranks.bytes(r);
        }
        return table;
    }

    /** Rank of a byte sequence, or -1 when it is not an ordinary token. */
    int rankOf(byte[] bytes) {
        return ranks.rank(bytes, 0, bytes.length);
    }
}
