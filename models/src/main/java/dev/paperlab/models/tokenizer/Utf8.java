package dev.paperlab.models.tokenizer;

/**
 * UTF-8 encoding of a char range, with the rule of {@code String.getBytes(UTF_8)} and JTokkit's
 * r50k encoder: a lone surrogate becomes {@code '?'} (0x3F). Decoding such bytes therefore gives
 * {@code '?'}, not the surrogate; every well-formed string round-trips exactly.
 */
final class Utf8 {
    private Utf8() {}

    /** Most bytes {@code n} chars can need (a surrogate pair is 2 chars and 4 bytes). */
    static int maxBytes(int chars) {
        return chars * 3;
    }

    /** Writes the UTF-8 bytes of {@code s[from, to)} into {@code out}; returns their count. */
    static int encode(String s, int from, int to, byte[] out) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[n++] = (byte) c;
            } else if (c < 0x800) {
                out[n++] = (byte) (0xC0 | (c >> 6));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (!Character.isSurrogate(c)) {
                out[n++] = (byte) (0xE0 | (c >> 12));
                out[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[n++] = (byte) (0xF0 | (cp >> 18));
                out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                out[n++] = '?';
            }
        }
        return n;
    }
}
