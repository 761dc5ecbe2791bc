package dev.paperlab.pipeline;

import dev.paperlab.framework.algorithms.hashing.Murmur3;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a document is and when two are the same: the input is cut into paragraphs at blank lines
 * (as {@code datasets.text.TextDedup} does), each is normalised, and empty ones are dropped.
 * Exact duplicates are documents with the same 128-bit {@link Murmur3} hash of their normalised
 * UTF-8 bytes.
 *
 * <p>Normalisation: Unicode NFC; CR LF and CR become LF; control characters other than LF and tab,
 * and the byte-order mark, are removed; trailing spaces of each line and leading and trailing
 * white space of the document are stripped.
 */
public final class Documents {
    /** The record delimiter of Hadoop's text reader: cuts at every blank line, never inside a UTF-8 character. */
    public static final String RECORD_DELIMITER = "\n\n";

    private static final Pattern PARAGRAPH = Pattern.compile("\\n\\s*\\n");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\uFEFF&&[^\\n\\t]]");
    private static final Pattern TRAILING = Pattern.compile("[ \\t\\x0B\\f]+\\n");

    /** The content hash of a document: exact duplicates have equal hashes. */
    public record Hash(long h1, long h2) implements Serializable {}

    private Documents() {}

    /**
     * The normalised, non-empty paragraphs of a text, in order. Example: {@code "a \r\n\r\n\r\nb\u0007"
     * -> ["a", "b"]}.
     */
    public static List<String> paragraphs(String text) {
        List<String> out = new ArrayList<>();
        for (String p : PARAGRAPH.split(text)) {
            String n = normalize(p);
            if (!n.isEmpty()) {
                out.add(n);
            }
        }
        return out;
    }

    /** The normalised form of one document (see the class comment). */
    public static String normalize(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFC);
        s = s.replace("\r\n", "\n").replace('\r', '\n');
        s = CONTROL.matcher(s).replaceAll("");
        s = TRAILING.matcher(s).replaceAll("\n");
        return s.strip();
    }

    /** The 128-bit content hash of a (normalised) document. */
    public static Hash hash(String doc) {
        Murmur3.Hash128 h = Murmur3.hash128(doc.getBytes(StandardCharsets.UTF_8), 0);
        return new Hash(h.h1(), h.h2());
    }
}
