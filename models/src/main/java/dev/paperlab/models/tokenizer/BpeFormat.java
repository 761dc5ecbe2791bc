package dev.paperlab.models.tokenizer;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading and writing rank files. Two formats:
 *
 * <p>OpenAI's {@code .tiktoken}: one line per token, {@code base64(bytes) rank}.
 *
 * <p>paperlab's own, versioned, UTF-8 text:
 *
 * <pre>
 * paperlab-bpe 1
 * name r50k_base
 * pattern GPT2
 * specials 1
 * PHxlbmRvZnRleHR8Pg== 50256        base64(UTF-8 of the special text) id
 * tokens 50256
 * IQ== 0                            base64(token bytes) rank, as in .tiktoken
 * ...
 * end
 * </pre>
 *
 * A wrong first line, another version, a missing or malformed line, a duplicate rank or a truncated
 * file is an {@link IOException} whose message names the line and the problem.
 */
final class BpeFormat {
    static final String MAGIC = "paperlab-bpe";
    static final int VERSION = 1;
    private static final int MAX_RANK = (1 << 24) - 1;

    private BpeFormat() {}

    static void write(BpeTokenizer tokenizer, Path file) throws IOException {
        Base64.Encoder b64 = Base64.getEncoder();
        byte[][] table = tokenizer.ranksTable();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(MAGIC + " " + VERSION + "\n");
            w.write("name " + tokenizer.name() + "\n");
            w.write("pattern " + tokenizer.pattern().name() + "\n");
            w.write("specials " + tokenizer.specialTokens().size() + "\n");
            for (Map.Entry<String, Integer> e : tokenizer.specialTokens().entrySet()) {
                w.write(b64.encodeToString(e.getKey().getBytes(StandardCharsets.UTF_8)) + " " + e.getValue() + "\n");
            }
            w.write("tokens " + tokenizer.ordinaryTokenCount() + "\n");
            for (int rank = 0; rank < table.length; rank++) {
                if (table[rank] != null) {
                    w.write(b64.encodeToString(table[rank]) + " " + rank + "\n");
                }
            }
            w.write("end\n");
        }
    }

    static BpeTokenizer read(Path file) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Lines in = new Lines(r, file.toString());
            String first = in.next("the header '" + MAGIC + " " + VERSION + "'");
            String[] head = first.split(" ");
            if (head.length != 2 || !head[0].equals(MAGIC)) {
                throw new IOException(file + " is not a " + MAGIC + " file: first line is '" + first + "'");
            }
            if (!head[1].equals(String.valueOf(VERSION))) {
                throw new IOException(
                        file + " has " + MAGIC + " version " + head[1] + ", this reader supports " + VERSION);
            }
            String name = in.value("name");
            String patternName = in.value("pattern");
            SplitPattern pattern;
            try {
                pattern = SplitPattern.valueOf(patternName);
            } catch (IllegalArgumentException e) {
                throw in.error("unknown split pattern '" + patternName + "'");
            }
            int specialCount = in.count("specials");
            Map<String, Integer> specials = new LinkedHashMap<>();
            for (int k = 0; k < specialCount; k++) {
                String[] f = in.pair("special token " + (k + 1) + " of " + specialCount);
                String text = new String(in.base64(f[0]), StandardCharsets.UTF_8);
                if (specials.put(text, in.integer(f[1])) != null) {
                    throw in.error("duplicate special token '" + text + "'");
                }
            }
            int tokenCount = in.count("tokens");
            List<byte[]> byRank = new ArrayList<>();
            for (int k = 0; k < tokenCount; k++) {
                String[] f = in.pair("token " + (k + 1) + " of " + tokenCount);
                in.put(byRank, in.integer(f[1]), in.base64(f[0]));
            }
            String end = in.next("'end' after " + tokenCount + " tokens");
            if (!end.equals("end")) {
                throw in.error("expected 'end' after " + tokenCount + " tokens, found '" + end + "'");
            }
            try {
                return new BpeTokenizer(name, byRank.toArray(new byte[0][]), pattern, specials);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }
    }

    static byte[][] readTiktoken(InputStream stream, String source) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.US_ASCII));
        Lines in = new Lines(r, source);
        List<byte[]> byRank = new ArrayList<>();
        String line;
        while ((line = r.readLine()) != null) {
            in.number++;
            if (line.isEmpty()) {
                continue;
            }
            String[] f = in.split(line);
            in.put(byRank, in.integer(f[1]), in.base64(f[0]));
        }
        return byRank.toArray(new byte[0][]);
    }

    /** Line reader that knows its position for error messages. */
    private static final class Lines {
        private final BufferedReader reader;
        private final String source;
        int number;

        Lines(BufferedReader reader, String source) {
            this.reader = reader;
            this.source = source;
        }

        IOException error(String problem) {
            return new IOException(source + " line " + number + ": " + problem);
        }

        String next(String expected) throws IOException {
            String line = reader.readLine();
            number++;
            if (line == null) {
                throw new IOException(
                        source + " is truncated: it ends before line " + number + ", expected " + expected);
            }
            return line;
        }

        String value(String key) throws IOException {
            String line = next("'" + key + " ...'");
            if (!line.startsWith(key + " ")) {
                throw error("expected '" + key + " ...', found '" + line + "'");
            }
            return line.substring(key.length() + 1);
        }

        int count(String key) throws IOException {
            int n = integer(value(key));
            if (n < 0) {
                throw error("negative " + key + " count " + n);
            }
            return n;
        }

        String[] pair(String expected) throws IOException {
            return split(next(expected));
        }

        String[] split(String line) throws IOException {
            String[] f = line.split(" ");
            if (f.length != 2) {
                throw error("expected 'base64 number', found '" + line + "'");
            }
            return f;
        }

        int integer(String s) throws IOException {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw error("'" + s + "' is not an integer");
            }
        }

        byte[] base64(String s) throws IOException {
            try {
                return Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                throw error("'" + s + "' is not base64");
            }
        }

        void put(List<byte[]> byRank, int rank, byte[] bytes) throws IOException {
            if (rank < 0 || rank > MAX_RANK) {
                throw error("rank " + rank + " is outside 0.." + MAX_RANK);
            }
            while (byRank.size() <= rank) {
                byRank.add(null);
            }
            if (byRank.get(rank) != null) {
                throw error("duplicate rank " + rank);
            }
            byRank.set(rank, bytes);
        }
    }
}
