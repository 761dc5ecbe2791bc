package dev.paperlab.models.tokenizer;

/**
 * Hand-written equivalents of the {@link SplitPattern} regexes: one left-to-right pass over code
 * points, trying the alternatives in the regex's order. Character classes follow Java's regex with
 * {@code UNICODE_CHARACTER_CLASS}: letter = {@code \p{L}}, number = {@code \p{N}}, blank = Unicode
 * White_Space; a lone surrogate is "other".
 */
final class PieceScanner {
    static final int OTHER = 0;
    static final int LETTER = 1;
    static final int NUMBER = 2;
    static final int BLANK = 3;

    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = (byte) classOfSlow(c);
        }
    }

    private PieceScanner() {}

    static int classOf(int cp) {
        return cp < 128 ? ASCII[cp] : classOfSlow(cp);
    }

    private static int classOfSlow(int cp) {
        int type = Character.getType(cp);
        switch (type) {
            case Character.UPPERCASE_LETTER:
            case Character.LOWERCASE_LETTER:
            case Character.TITLECASE_LETTER:
            case Character.MODIFIER_LETTER:
            case Character.OTHER_LETTER:
                return LETTER;
            case Character.DECIMAL_DIGIT_NUMBER:
            case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER:
                return NUMBER;
            case Character.SPACE_SEPARATOR:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                return BLANK;
            default:
                // White_Space outside the Z categories: \t \n \u000B \f \r and NEL.
                return (cp >= 0x9 && cp <= 0xD) || cp == 0x85 ? BLANK : OTHER;
        }
    }

    /** Code point at {@code i}, pairing surrogates only inside {@code [i, to)}. */
    static int codePointAt(String s, int i, int to) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < to) {
            char d = s.charAt(i + 1);
            if (Character.isLowSurrogate(d)) {
                return Character.toCodePoint(c, d);
            }
        }
        return c;
    }

    /** End of the run of code points of class {@code cls} starting at {@code i}. */
    private static int run(String s, int i, int to, int cls) {
        while (i < to) {
            int cp = codePointAt(s, i, to);
            if (classOf(cp) != cls) {
                break;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    /** Class of the code point at {@code i}, or -1 past the end. */
    private static int classAt(String s, int i, int to) {
        return i < to ? classOf(codePointAt(s, i, to)) : -1;
    }

    private static boolean isNewline(char c) {
        return c == '\n' || c == '\r';
    }

    /**
     * Length of the contraction after an apostrophe at {@code i - 1}: {@code s d m t} (1) or {@code
     * ll ve re} (2), 0 if none. Case-insensitive matching follows Java's Unicode case folding,
     * where the long s {@code U+017F} matches {@code s}.
     */
    private static int contraction(String s, int i, int to, boolean ignoreCase) {
        if (i >= to) {
            return 0;
        }
        char a = s.charAt(i);
        if (ignoreCase) {
            a = a == '\u017F' ? 's' : Character.toLowerCase(a);
        }
        if (a == 's' || a == 'd' || a == 'm' || a == 't') {
            return 1;
        }
        if (i + 1 >= to) {
            return 0;
        }
        char b = ignoreCase ? Character.toLowerCase(s.charAt(i + 1)) : s.charAt(i + 1);
        return (a == 'l' && b == 'l') || (a == 'v' && b == 'e') || (a == 'r' && b == 'e') ? 2 : 0;
    }

    /** Blank run {@code [i, j)} followed by non-blank: {@code \s+(?!\S)} leaves the last blank. */
    private static int blankEnd(int i, int j, int to) {
        return j < to && j - i > 1 ? j - 1 : j;
    }

    /** {@code '(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}. */
    static void gpt2(String s, int from, int to, SplitPattern.PieceSink sink) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            int j;
            int k;
            if (c == '\'' && (k = contraction(s, i + 1, to, false)) > 0) {
                j = i + 1 + k;
            } else {
                int cls = classOf(codePointAt(s, i, to));
                int next;
                if (c == ' ' && (next = classAt(s, i + 1, to)) >= 0 && next != BLANK) {
                    j = run(s, i + 1, to, next);
                } else if (cls != BLANK) {
                    j = run(s, i, to, cls);
                } else {
                    j = blankEnd(i, run(s, i, to, BLANK), to);
                }
            }
            sink.accept(i, j);
            i = j;
        }
    }

    /**
     * {@code '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*
     * |\s*[\r\n]|\s+(?!\S)|\s+}.
     */
    static void cl100k(String s, int from, int to, SplitPattern.PieceSink sink) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            int cp = codePointAt(s, i, to);
            int w = Character.charCount(cp);
            int cls = classOf(cp);
            int j;
            int k;
            if (c == '\'' && (k = contraction(s, i + 1, to, true)) > 0) {
                j = i + 1 + k;
            } else if (cls == LETTER) {
                j = run(s, i, to, LETTER);
            } else if (cls != NUMBER && !isNewline(c) && classAt(s, i + w, to) == LETTER) {
                j = run(s, i + w, to, LETTER);
            } else if (cls == NUMBER) {
                j = i + w;
                for (int n = 1; n < 3 && classAt(s, j, to) == NUMBER; n++) {
                    j += Character.charCount(codePointAt(s, j, to));
                }
            } else if (cls == OTHER || (c == ' ' && classAt(s, i + 1, to) == OTHER)) {
                j = run(s, cls == OTHER ? i : i + 1, to, OTHER);
                while (j < to && isNewline(s.charAt(j))) {
                    j++;
                }
            } else {
                int end = run(s, i, to, BLANK);
                int lastNewline = -1;
                for (int p = end - 1; p >= i; p--) {
                    if (isNewline(s.charAt(p))) {
                        lastNewline = p;
                        break;
                    }
                }
                j = lastNewline >= 0 ? lastNewline + 1 : blankEnd(i, end, to);
            }
            sink.accept(i, j);
            i = j;
        }
    }
}
