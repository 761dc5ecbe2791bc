package dev.paperlab.datasets.shards;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A shard folder opened for reading: every shard's token file is memory-mapped, so tokens are read
 * on demand from the page cache and never copied into the heap as a whole. The shards in manifest
 * order form one {@link TokenSequence}; documents are addressed by their global number.
 *
 * <p>{@link #open} checks everything before anything is read: the manifest, the tokenizer's
 * SHA-256, each file's length, header and CRC-32, the index offsets, and the totals. Any mismatch
 * is one {@link IllegalArgumentException} that names the file, the expected and the actual value.
 * Each token file must be below 2 GiB (one mapping).
 */
public final class TokenShards implements TokenSequence {
    private final Path dir;
    private final ShardManifest manifest;
    private final ByteBuffer[] data;
    private final long[][] offsets;
    private final long[] tokenStart; // first global token of each shard, plus the total
    private final long[] docStart; // first global document of each shard, plus the total
    private final int width;

    private TokenShards(Path dir, ShardManifest manifest, ByteBuffer[] data, long[][] offsets) {
        this.dir = dir;
        this.manifest = manifest;
        this.data = data;
        this.offsets = offsets;
        this.width = manifest.tokenWidth();
        int n = data.length;
        tokenStart = new long[n + 1];
        docStart = new long[n + 1];
        for (int s = 0; s < n; s++) {
            tokenStart[s + 1] = tokenStart[s] + manifest.shards().get(s).tokens();
            docStart[s + 1] = docStart[s] + manifest.shards().get(s).documents();
        }
    }

    /** Opens and checks the shard folder {@code dir}. */
    public static TokenShards open(Path dir) throws IOException {
        ShardManifest m = ShardManifest.read(dir);
        if (m.tokenWidth() != ShardFormat.tokenWidth(m.vocabSize())) {
            throw new IllegalArgumentException("manifest of " + dir + " says token width " + m.tokenWidth()
                    + " for vocabulary " + m.vocabSize() + ", expected " + ShardFormat.tokenWidth(m.vocabSize()));
        }
        Path tokenizer = dir.resolve(m.tokenizerFile());
        if (!Files.isRegularFile(tokenizer)) {
            throw new IllegalArgumentException("shard folder " + dir + " has no tokenizer " + m.tokenizerFile());
        }
        String sha = ShardManifest.sha256(tokenizer);
        if (!sha.equals(m.tokenizerSha256())) {
            throw new IllegalArgumentException("tokenizer " + tokenizer + " has SHA-256 " + sha
                    + " but the manifest was written with " + m.tokenizerSha256());
        }
        List<ShardManifest.Shard> shards = m.shards();
        ByteBuffer[] data = new ByteBuffer[shards.size()];
        long[][] offsets = new long[shards.size()][];
        long tokens = 0;
        long documents = 0;
        for (int s = 0; s < shards.size(); s++) {
            ShardManifest.Shard e = shards.get(s);
            ByteBuffer bin = map(dir.resolve(e.bin()), ShardFormat.HEADER_BYTES + e.tokens() * m.tokenWidth());
            checkFile(dir.resolve(e.bin()), bin, ShardFormat.BIN_MAGIC, m.tokenWidth(), e.binCrc32());
            ByteBuffer idx = map(dir.resolve(e.idx()), ShardFormat.HEADER_BYTES + (e.documents() + 1) * 8);
            checkFile(dir.resolve(e.idx()), idx, ShardFormat.IDX_MAGIC, 0, e.idxCrc32());
            offsets[s] = readOffsets(dir.resolve(e.idx()), idx, e);
            data[s] = bin.position(ShardFormat.HEADER_BYTES).slice().order(ByteOrder.LITTLE_ENDIAN);
            tokens += e.tokens();
            documents += e.documents();
        }
        if (tokens != m.tokens() || documents != m.documents()) {
            throw new IllegalArgumentException("manifest of " + dir + " says " + m.tokens() + " tokens and "
                    + m.documents() + " documents, its shards hold " + tokens + " and " + documents);
        }
        return new TokenShards(dir, m, data, offsets);
    }

    private static ByteBuffer map(Path file, long expectedBytes) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("shard file " + file + " is missing");
        }
        long size = Files.size(file);
        if (size != expectedBytes) {
            throw new IllegalArgumentException("shard file " + file + " has " + size + " bytes, the manifest implies "
                    + expectedBytes + (size < expectedBytes ? " (truncated)" : ""));
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "shard file " + file + " has " + size + " bytes, more than one mapping holds (2 GiB)");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return b.order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static void checkFile(Path file, ByteBuffer b, byte[] magic, int field, long crc) {
        byte[] head = new byte[magic.length];
        b.get(0, head);
        if (!Arrays.equals(head, magic) || b.getInt(8) != ShardFormat.VERSION || b.getInt(12) != field) {
            throw new IllegalArgumentException("shard file " + file + " has a bad header: expected "
                    + new String(magic, java.nio.charset.StandardCharsets.US_ASCII) + " version " + ShardFormat.VERSION
                    + " field " + field + ", found version " + b.getInt(8) + " field " + b.getInt(12));
        }
        CRC32 c = new CRC32();
        c.update(b.duplicate().position(0));
        if (c.getValue() != crc) {
            throw new IllegalArgumentException(
                    "shard file " + file + " is corrupt: CRC-32 " + c.getValue() + ", manifest says " + crc);
        }
    }

    private static long[] readOffsets(Path file, ByteBuffer idx, ShardManifest.Shard e) {
        long[] off = new long[Math.toIntExact(e.documents() + 1)];
        for (int d = 0; d < off.length; d++) {
            off[d] = idx.getLong(ShardFormat.HEADER_BYTES + 8 * d);
            if ((d == 0 && off[d] != 0) || (d > 0 && off[d] < off[d - 1])) {
                throw new IllegalArgumentException("index " + file + " has offset " + off[d] + " for document " + d
                        + " after " + (d > 0 ? off[d - 1] : "the start") + ", expected a non-decreasing list from 0");
            }
        }
        if (off[off.length - 1] != e.tokens()) {
            throw new IllegalArgumentException("index " + file + " ends at token " + off[off.length - 1]
                    + ", its shard has " + e.tokens() + " tokens");
        }
        return off;
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** The manifest the shards were checked against. */
    public ShardManifest manifest() {
        return manifest;
    }

    /** The tokenizer file in the folder (its SHA-256 checked). */
    public Path tokenizerFile() {
        return dir.resolve(manifest.tokenizerFile());
    }

    /** Throws unless the shards were written with the tokenizer whose file has this SHA-256. */
    public void requireTokenizer(String sha256, String name) {
        if (!manifest.tokenizerSha256().equals(sha256)) {
            throw new IllegalArgumentException(
                    "tokenizer " + name + " (SHA-256 " + sha256 + ") is not the one the shards in " + dir
                            + " were written with (SHA-256 " + manifest.tokenizerSha256() + ")");
        }
    }

    @Override
    public long size() {
        return tokenStart[data.length];
    }

    /** Number of documents. */
    public long documentCount() {
        return docStart[data.length];
    }

    /** The tokens of document {@code d} (global number, shards in order). */
    public int[] document(long d) {
        if (d < 0 || d >= documentCount()) {
            throw new IllegalArgumentException("document " + d + " is not in [0, " + documentCount() + ")");
        }
        int s = shardOf(docStart, d);
        int local = (int) (d - docStart[s]);
        long from = offsets[s][local];
        int[] out = new int[Math.toIntExact(offsets[s][local + 1] - from)];
        read(tokenStart[s] + from, out, 0, out.length);
        return out;
    }

    @Override
    public void read(long from, int[] dst, int offset, int length) {
        if (from < 0 || length < 0 || from + length > size()) {
            throw new IndexOutOfBoundsException("tokens [" + from + ", " + (from + length) + ") of " + size());
        }
        int done = 0;
        while (done < length) {
            long at = from + done;
            int s = shardOf(tokenStart, at);
            ByteBuffer b = data[s];
            int local = (int) (at - tokenStart[s]);
            int n = (int) Math.min(length - done, tokenStart[s + 1] - at);
            for (int i = 0; i < n; i++) {
                int pos = (local + i) * width;
                dst[offset + done + i] = width == 2 ? Short.toUnsignedInt(b.getShort(pos)) : b.getInt(pos);
            }
            done += n;
        }
    }

    /** The shard holding global position {@code x} of a cumulative {@code start} table. */
    private static int shardOf(long[] start, long x) {
        int i = Arrays.binarySearch(start, x);
        if (i < 0) {
            return -i - 2;
        }
        // x starts shard i; skip empty shards that start at the same position.
        while (i + 1 < start.length - 1 && start[i + 1] == x) {
            i++;
        }
        return i;
    }
}
