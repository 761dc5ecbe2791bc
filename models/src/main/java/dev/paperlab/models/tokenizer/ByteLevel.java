package dev.paperlab.models.tokenizer;

import java.io.ByteArrayOutputStream;

/**
 * GPT-2's reversible map from bytes to printable characters (Radford et al. 2019, released
 * encoder.py {@code bytes_to_unicode}): the 188 printable Latin-1 bytes map to themselves, the
 * other 68 to {@code U+0100} onwards in byte order, so a space is {@code 'Ġ'} (U+0120). Token
 * strings built with it are what DJL's {@code Tokenizer} and Hugging Face byte-level BPE use.
 */
final class ByteLevel {
    private static final char[] CHAR_OF_BYTE = new char[256];
    private static final int[] BYTE_OF_CHAR = new int[0x200];

    static {
        java.util.Arrays.fill(BYTE_OF_CHAR, -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
            CHAR_OF_BYTE[b] = (char) (printable ? b : 256 + extra++);
            BYTE_OF_CHAR[CHAR_OF_BYTE[b]] = b;
        }
    }

    private ByteLevel() {}

    /** The printable string of a token's bytes. */
    static String toChars(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = CHAR_OF_BYTE[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /** Appends the bytes of a printable token string; throws if a char is not in the map. */
    static void toBytes(String token, ByteArrayOutputStream out) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            int b = c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
            if (b < 0) {
                throw new IllegalArgumentException("token '"
                        + token
                        + "' has char U+"
                        + Integer.toHexString(c).toUpperCase()
                        + " at "
                        + i
                        + ", which is not a byte-level character");
            }
            out.write(b);
        }
    }
}
