package dev.paperlab.datasets.shards;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a shard folder: the tokenizer (file name and SHA-256 of its bytes), the
 * vocabulary size and id width, the document separator id, every shard's token and document
 * counts with CRC-32 checksums, and free-form statistics of the job that wrote them (dedup counts,
 * settings). {@link TokenShards#open} checks the shards against it.
 *
 * @param format always {@link #FORMAT}
 * @param version {@link ShardFormat#VERSION}
 * @param vocabSize ids are in {@code [0, vocabSize)}
 * @param tokenWidth bytes per id, {@link ShardFormat#tokenWidth}
 * @param separatorId the id that ends every document, or -1
 * @param tokenizerFile the tokenizer's file name in the folder
 * @param tokenizerSha256 hex SHA-256 of the tokenizer file
 * @param tokens total tokens of all shards
 * @param documents total documents of all shards
 * @param shards the shards in order; their concatenation is the corpus
 * @param stats statistics of the job that wrote the shards
 */
public record ShardManifest(
        String format,
        int version,
        int vocabSize,
        int tokenWidth,
        int separatorId,
        String tokenizerFile,
        String tokenizerSha256,
        long tokens,
        long documents,
        List<Shard> shards,
        Map<String, Object> stats) {
    /** The file name of the manifest in a shard folder. */
    public static final String FILE = "manifest.json";
    /** The value of {@code format}. */
    public static final String FORMAT = "paperlab-token-shards";

    private static final Gson GSON = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES)
            .setPrettyPrinting()
            .create();

    /**
     * One shard's entry.
     *
     * @param bin its token file name
     * @param idx its index file name
     * @param tokens its token count
     * @param documents its document count
     * @param binCrc32 CRC-32 of the whole token file
     * @param idxCrc32 CRC-32 of the whole index file
     */
    public record Shard(String bin, String idx, long tokens, long documents, long binCrc32, long idxCrc32)
            implements java.io.Serializable {}

    /** A manifest for {@code shards}, with totals summed from them. */
    public static ShardManifest of(
            int vocabSize,
            int separatorId,
            String tokenizerFile,
            String tokenizerSha256,
            List<Shard> shards,
            Map<String, Object> stats) {
        long tokens = shards.stream().mapToLong(Shard::tokens).sum();
        long documents = shards.stream().mapToLong(Shard::documents).sum();
        return new ShardManifest(
                FORMAT,
                ShardFormat.VERSION,
                vocabSize,
                ShardFormat.tokenWidth(vocabSize),
                separatorId,
                tokenizerFile,
                tokenizerSha256,
                tokens,
                documents,
                List.copyOf(shards),
                new LinkedHashMap<>(stats));
    }

    /** The manifest as pretty-printed JSON. */
    public String toJson() {
        return GSON.toJson(this);
    }

    /** Parses {@link #toJson()} output; {@code source} names the file in errors. */
    public static ShardManifest fromJson(String json, String source) {
        ShardManifest m;
        try {
            m = GSON.fromJson(json, ShardManifest.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(source + " is not a shard manifest: " + e.getMessage(), e);
        }
        if (m == null || !FORMAT.equals(m.format)) {
            throw new IllegalArgumentException(source + " is not a shard manifest: format "
                    + (m == null ? null : m.format) + ", expected " + FORMAT);
        }
        if (m.version != ShardFormat.VERSION) {
            throw new IllegalArgumentException(
                    source + " has format version " + m.version + ", expected " + ShardFormat.VERSION);
        }
        if (m.shards == null || m.shards.isEmpty()) {
            throw new IllegalArgumentException(source + " lists no shards");
        }
        return m;
    }

    /** Reads {@code dir/manifest.json}. */
    public static ShardManifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("shard folder " + dir + " has no " + FILE);
        }
        return fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Hex SHA-256 of a stream's bytes (the tokenizer file's identity). */
    public static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Hex SHA-256 of a file's bytes. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }
}
