package dev.paperlab.models.tokenizer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes a {@link BpeTokenizer} as a Hugging Face {@code tokenizer.json}: a {@code BPE} model over
 * GPT-2 byte-level characters, our split regex followed by a byte-level pre-tokenizer, a byte-level
 * decoder, and the special tokens as added tokens.
 *
 * <p>Rank semantics: tiktoken merges any two adjacent parts whose concatenation is a token, with
 * the token's rank as priority, and keeps a piece that is a token whole. The export lists, for
 * every token in rank order, each split of it into two tokens as a merge (so all merges that form
 * one token are consecutive), and sets {@code ignore_merges} so a piece in the vocabulary is kept
 * whole. The two agree except where one token forms at overlapping positions in two different ways
 * at once, which tiktoken resolves leftmost and Hugging Face by merge order.
 */
public final class HuggingFaceExport {
    private HuggingFaceExport() {}

    /** Writes {@code tokenizer} to {@code file} as {@code tokenizer.json}. */
    public static void write(BpeTokenizer tokenizer, Path file) throws IOException {
        byte[][] table = tokenizer.ranksTable();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\n\"version\": \"1.0\",\n\"truncation\": null,\n\"padding\": null,\n");
            w.write("\"added_tokens\": [");
            String sep = "\n";
            for (Map.Entry<String, Integer> e : tokenizer.specialTokens().entrySet()) {
                w.write(sep
                        + "{\"id\": "
                        + e.getValue()
                        + ", \"content\": "
                        + quote(e.getKey())
                        + ", \"single_word\": false, \"lstrip\": false, \"rstrip\": false,"
                        + " \"normalized\": false, \"special\": true}");
                sep = ",\n";
            }
            w.write("],\n\"normalizer\": null,\n\"pre_tokenizer\": ");
            String byteLevel = "{\"type\": \"ByteLevel\", \"add_prefix_space\": false,"
                    + " \"trim_offsets\": true, \"use_regex\": false}";
            String regex = tokenizer.pattern().regexString();
            if (regex == null) {
                w.write(byteLevel);
            } else {
                w.write("{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Split\","
                        + " \"pattern\": {\"Regex\": "
                        + quote(regex)
                        + "}, \"behavior\": \"Isolated\", \"invert\": false}, "
                        + byteLevel
                        + "]}");
            }
            w.write(",\n\"post_processor\": null,\n\"decoder\": " + byteLevel + ",\n");
            w.write("\"model\": {\"type\": \"BPE\", \"dropout\": null, \"unk_token\": null,"
                    + " \"continuing_subword_prefix\": null, \"end_of_word_suffix\": null,"
                    + " \"fuse_unk\": false, \"byte_fallback\": false, \"ignore_merges\":"
                    + " true,\n"
                    + "\"vocab\": {");
            sep = "\n";
            for (int rank = 0; rank < table.length; rank++) {
                if (table[rank] != null) {
                    w.write(sep + quote(ByteLevel.toChars(table[rank])) + ": " + rank);
                    sep = ",\n";
                }
            }
            // Also in the model vocabulary, because HF numbers added tokens that are not in it
            // from the vocabulary size on, which loses cl100k's gap at 100256.
            for (Map.Entry<String, Integer> e : tokenizer.specialTokens().entrySet()) {
                w.write(sep + quote(e.getKey()) + ": " + e.getValue());
                sep = ",\n";
            }
            w.write("},\n\"merges\": [");
            writeMerges(tokenizer, table, w);
            w.write("]}\n}\n");
        }
    }

    /** For each token in rank order, every split into two tokens, as {@code "left right"}. */
    private static void writeMerges(BpeTokenizer tokenizer, byte[][] table, Writer w) throws IOException {
        String sep = "\n";
        for (byte[] t : table) {
            if (t == null || t.length < 2) {
                continue;
            }
            for (int k = 1; k < t.length; k++) {
                byte[] left = Arrays.copyOfRange(t, 0, k);
                byte[] right = Arrays.copyOfRange(t, k, t.length);
                if (tokenizer.rankOf(left) >= 0 && tokenizer.rankOf(right) >= 0) {
                    w.write(sep + quote(ByteLevel.toChars(left) + " " + ByteLevel.toChars(right)));
                    sep = ",\n";
                }
            }
        }
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
