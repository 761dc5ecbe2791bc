package dev.paperlab.models.tokenizer;

import java.util.regex.Pattern;

/**
 * Pre-tokenization: how text is cut into pieces before byte pair merging, so that merges never
 * cross a piece boundary (Radford et al. 2019, Section 2.2: "we prevent BPE from merging across
 * character categories for any byte sequence").
 *
 * <p>Each pattern has a reference form, a Java regex ({@link #regex()}, compiled with {@link
 * Pattern#UNICODE_CHARACTER_CLASS} so that {@code \s} is Unicode White_Space as in tiktoken), and a
 * fast hand-written scanner ({@link #split}) that produces exactly the same pieces; a property test
 * keeps the two equal.
 */
public enum SplitPattern {
    /**
     * GPT-2 / r50k_base: contractions, letters, numbers, other symbols, each with one leading
     * space.
     */
    GPT2("'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"),
    /**
     * GPT-4 / cl100k_base: case-insensitive contractions, letters with one leading non-letter,
     * numbers of at most three digits, symbols with trailing newlines, newline runs.
     */
    CL100K("'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+"),
    /** No pre-tokenization: the whole text (between special tokens) is one piece. */
    NONE(null);

    /** Receives one piece as the char range {@code [start, end)} of the text. */
    @FunctionalInterface
    public interface PieceSink {
        void accept(int start, int end);
    }

    private final String regex;
    private final Pattern compiled;

    SplitPattern(String regex) {
        this.regex = regex;
        this.compiled = regex == null ? null : Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
    }

    /** The pattern as a regex string, or {@code null} for {@link #NONE}. */
    public String regexString() {
        return regex;
    }

    /** The compiled reference regex, or {@code null} for {@link #NONE}. */
    public Pattern regex() {
        return compiled;
    }

    /** Cuts {@code text[from, to)} into pieces with the fast scanner, in order, without gaps. */
    public void split(String text, int from, int to, PieceSink sink) {
        if (from >= to) {
            return;
        }
        switch (this) {
            case GPT2:
                PieceScanner.gpt2(text, from, to, sink);
                break;
            case CL100K:
                PieceScanner.cl100k(text, from, to, sink);
                break;
            default:
                sink.accept(from, to);
        }
    }

    /** Reference split with {@link #regex()}: the slow path the scanners are tested against. */
    public void splitWithRegex(String text, int from, int to, PieceSink sink) {
        if (from >= to) {
            return;
        }
        if (compiled == null) {
            sink.accept(from, to);
            return;
        }
        var m = compiled.matcher(text).region(from, to);
        while (m.find()) {
            sink.accept(m.start(), m.end());
        }
    }
}
