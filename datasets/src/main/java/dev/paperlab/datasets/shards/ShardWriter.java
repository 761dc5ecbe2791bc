package dev.paperlab.datasets.shards;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * Writes one shard in {@link ShardFormat}: documents are appended one at a time to the token
 * stream, their boundaries to the index; {@link #close()} returns what the manifest records.
 * Works on any output stream (a local file, a Hadoop file system), since nothing is rewritten.
 */
public final class ShardWriter implements AutoCloseable {
    private final int shard;
    private final int vocabSize;
    private final int width;
    private final OutputStream bin;
    private final OutputStream idx;
    private final CRC32 binCrc = new CRC32();
    private final CRC32 idxCrc = new CRC32();
    private final ByteBuffer buf;
    private long tokens;
    private long documents;
    private ShardManifest.Shard result;

    /**
     * @param shard the shard's number (its file names)
     * @param vocabSize ids must be in {@code [0, vocabSize)}
     * @param bin where the {@code .bin} file goes; closed by {@link #close()}
     * @param idx where the {@code .idx} file goes; closed by {@link #close()}
     */
    public ShardWriter(int shard, int vocabSize, OutputStream bin, OutputStream idx) throws IOException {
        this.shard = shard;
        this.vocabSize = vocabSize;
        this.width = ShardFormat.tokenWidth(vocabSize);
        this.bin = new BufferedOutputStream(bin, 1 << 16);
        this.idx = new BufferedOutputStream(idx, 1 << 16);
        this.buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        write(this.bin, binCrc, ShardFormat.header(ShardFormat.BIN_MAGIC, width));
        write(this.idx, idxCrc, ShardFormat.header(ShardFormat.IDX_MAGIC, 0));
        writeOffset(0);
    }

    /** Appends one document's ids. */
    public void add(int[] ids) throws IOException {
        for (int id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException(
                        "token id " + id + " of document " + documents + " is outside [0, " + vocabSize + ")");
            }
            if (buf.remaining() < width) {
                flush();
            }
            if (width == 2) {
                buf.putShort((short) id);
            } else {
                buf.putInt(id);
            }
        }
        tokens += ids.length;
        documents++;
        writeOffset(tokens);
    }

    private void writeOffset(long offset) throws IOException {
        byte[] b = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(offset)
                .array();
        write(idx, idxCrc, b);
    }

    private void flush() throws IOException {
        bin.write(buf.array(), 0, buf.position());
        binCrc.update(buf.array(), 0, buf.position());
        buf.clear();
    }

    private static void write(OutputStream out, CRC32 crc, byte[] b) throws IOException {
        out.write(b);
        crc.update(b);
    }

    /** Closes both files and returns the shard's manifest entry. */
    public ShardManifest.Shard finish() throws IOException {
        close();
        return result;
    }

    @Override
    public void close() throws IOException {
        if (result != null) {
            return;
        }
        try (bin;
                idx) {
            flush();
        }
        result = new ShardManifest.Shard(
                ShardFormat.binName(shard),
                ShardFormat.idxName(shard),
                tokens,
                documents,
                binCrc.getValue(),
                idxCrc.getValue());
    }
}
