package dev.paperlab.pipeline;

import dev.paperlab.datasets.shards.ShardFormat;
import dev.paperlab.datasets.shards.ShardManifest;
import dev.paperlab.datasets.shards.ShardWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A shard folder written on any Hadoop file system without ever showing a half-written one: every
 * file goes to a hidden temporary sibling {@code .NAME.tmp-UUID}, which is renamed to the target
 * only after the manifest is written; a failure deletes it. The rename is atomic on HDFS and local
 * disks (not on object stores such as S3, where a reader must wait for {@code manifest.json}).
 */
public final class ShardOutput {
    /** The tokenizer's file name in a shard folder. */
    public static final String TOKENIZER_FILE = "tokenizer.bpe";

    private final FileSystem fs;
    private final Path target;
    private final Path temp;

    private ShardOutput(FileSystem fs, Path target, Path temp) {
        this.fs = fs;
        this.target = target;
        this.temp = temp;
    }

    /** Starts an output at {@code target}, which must not exist yet. */
    public static ShardOutput begin(Configuration conf, String target) throws IOException {
        Path out = new Path(target);
        FileSystem fs = out.getFileSystem(conf);
        fs.setWriteChecksum(false); // no .crc side files on a local disk: the manifest has CRC-32s
        out = fs.makeQualified(out);
        if (fs.exists(out)) {
            throw new IllegalArgumentException("--output " + target + " already exists; choose a new folder");
        }
        Path temp = new Path(out.getParent(), "." + out.getName() + ".tmp-" + UUID.randomUUID());
        fs.mkdirs(temp);
        return new ShardOutput(fs, out, temp);
    }

    /** The temporary folder (a URI string, for tasks on other machines). */
    public String tempDir() {
        return temp.toString();
    }

    /** Writes shard {@code shard} of {@code docs} into {@code dir} (from {@link #tempDir()}). */
    public static ShardManifest.Shard writeShard(String dir, int shard, int vocabSize, Iterator<int[]> docs)
            throws IOException {
        Path d = new Path(dir);
        FileSystem fs = d.getFileSystem(new Configuration());
        fs.setWriteChecksum(false);
        try (ShardWriter w = new ShardWriter(
                shard,
                vocabSize,
                fs.create(new Path(d, ShardFormat.binName(shard)), true),
                fs.create(new Path(d, ShardFormat.idxName(shard)), true))) {
            while (docs.hasNext()) {
                w.add(docs.next());
            }
            return w.finish();
        }
    }

    /** Writes the tokenizer and the manifest, then renames the folder to the target. */
    public void commit(byte[] tokenizer, ShardManifest manifest) throws IOException {
        try (OutputStream out = fs.create(new Path(temp, TOKENIZER_FILE), false)) {
            out.write(tokenizer);
        }
        try (OutputStream out = fs.create(new Path(temp, ShardManifest.FILE), false)) {
            out.write(manifest.toJson().getBytes(StandardCharsets.UTF_8));
        }
        if (!fs.rename(temp, target)) {
            throw new IOException("could not rename " + temp + " to " + target + " (does it exist now?)");
        }
    }

    /** Deletes the temporary folder after a failure; the target was never created. */
    public void abort() {
        try {
            fs.delete(temp, true);
        } catch (IOException e) {
            System.err.println("warning: could not delete " + temp + ": " + e.getMessage());
        }
    }

    /** The target folder. */
    public Path target() {
        return target;
    }
}
