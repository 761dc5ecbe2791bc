package dev.paperlab.datasets.shards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenShardsTest {
    @TempDir
    Path dir;

    /** Random documents per shard (some empty, one shard empty) written to {@code dir}. */
    static List<List<int[]>> write(Path dir, int vocab, long seed) throws IOException {
        Random rnd = new Random(seed);
        Files.writeString(dir.resolve("tokenizer.bpe"), "tokenizer " + seed);
        List<List<int[]>> docs = new ArrayList<>();
        List<ShardManifest.Shard> entries = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            List<int[]> shard = new ArrayList<>();
            int n = s == 2 ? 0 : 1 + rnd.nextInt(20);
            for (int d = 0; d < n; d++) {
                int[] ids = new int[rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(300)];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = rnd.nextInt(vocab);
                }
                shard.add(ids);
            }
            try (OutputStream bin = Files.newOutputStream(dir.resolve(ShardFormat.binName(s)));
                    OutputStream idx = Files.newOutputStream(dir.resolve(ShardFormat.idxName(s)));
                    ShardWriter w = new ShardWriter(s, vocab, bin, idx)) {
                for (int[] ids : shard) {
                    w.add(ids);
                }
                entries.add(w.finish());
            }
            docs.add(shard);
        }
        String sha = ShardManifest.sha256(dir.resolve("tokenizer.bpe"));
        ShardManifest m = ShardManifest.of(vocab, vocab - 1, "tokenizer.bpe", sha, entries, Map.of("kept", 3));
        Files.writeString(dir.resolve(ShardManifest.FILE), m.toJson());
        return docs;
    }

    private void assertReadsBack(int vocab) throws IOException {
        List<List<int[]>> docs = write(dir, vocab, vocab);
        TokenShards shards = TokenShards.open(dir);
        List<int[]> flat = docs.stream().flatMap(List::stream).toList();
        assertEquals(flat.size(), shards.documentCount());
        int[] all = flat.stream().flatMapToInt(java.util.Arrays::stream).toArray();
        assertEquals(all.length, shards.size());
        for (int d = 0; d < flat.size(); d++) {
            assertArrayEquals(flat.get(d), shards.document(d), "document " + d);
        }
        int[] read = new int[all.length];
        shards.read(0, read, 0, all.length);
        assertArrayEquals(all, read);
        // A window across shard boundaries, read through a slice.
        int[] window = new int[50];
        shards.slice(all.length - 120, all.length).read(30, window, 0, 50);
        assertArrayEquals(java.util.Arrays.copyOfRange(all, all.length - 90, all.length - 40), window);
        assertEquals(3.0, ((Number) shards.manifest().stats().get("kept")).doubleValue());
    }

    @Test
    void returnsExactlyTheWrittenTokensWithTwoByteIds() throws IOException {
        assertReadsBack(1 << 16); // 65535 is the largest 2-byte id: read as unsigned
        assertEquals(2, TokenShards.open(dir).manifest().tokenWidth());
    }

    @Test
    void returnsExactlyTheWrittenTokensWithFourByteIds() throws IOException {
        assertReadsBack(100_000);
        assertEquals(4, TokenShards.open(dir).manifest().tokenWidth());
    }

    private String openError() {
        return assertThrows(IllegalArgumentException.class, () -> TokenShards.open(dir))
                .getMessage();
    }

    @Test
    void corruptShardIsOneClearError() throws IOException {
        write(dir, 500, 1);
        Path bin = dir.resolve(ShardFormat.binName(1));
        byte[] b = Files.readAllBytes(bin);
        b[b.length - 1] ^= 1;
        Files.write(bin, b);
        String msg = openError();
        assertTrue(msg.contains("shard-00001.bin is corrupt: CRC-32"), msg);
    }

    @Test
    void truncatedShardIsOneClearError() throws IOException {
        write(dir, 500, 2);
        Path bin = dir.resolve(ShardFormat.binName(3));
        byte[] b = Files.readAllBytes(bin);
        Files.write(bin, java.util.Arrays.copyOf(b, b.length - 2));
        String msg = openError();
        assertTrue(msg.contains("shard-00003.bin has " + (b.length - 2) + " bytes") && msg.contains("truncated"), msg);
    }

    @Test
    void manifestThatDoesNotMatchItsShardsIsOneClearError() throws IOException {
        write(dir, 500, 3);
        Path file = dir.resolve(ShardManifest.FILE);
        ShardManifest m = ShardManifest.fromJson(Files.readString(file), "m");
        ShardManifest wrong = new ShardManifest(
                m.format(),
                m.version(),
                m.vocabSize(),
                m.tokenWidth(),
                m.separatorId(),
                m.tokenizerFile(),
                m.tokenizerSha256(),
                m.tokens() + 1,
                m.documents(),
                m.shards(),
                m.stats());
        Files.writeString(file, wrong.toJson());
        String msg = openError();
        assertTrue(msg.contains("says " + (m.tokens() + 1) + " tokens") && msg.contains("hold " + m.tokens()), msg);
        Files.writeString(file, "{\"format\": \"something else\"}");
        assertTrue(openError().contains("is not a shard manifest"));
    }

    @Test
    void tokenizerMismatchIsOneClearError() throws IOException {
        write(dir, 500, 4);
        TokenShards ok = TokenShards.open(dir);
        String msg = assertThrows(IllegalArgumentException.class, () -> ok.requireTokenizer("abc", "other.bpe"))
                .getMessage();
        assertTrue(msg.contains("other.bpe (SHA-256 abc) is not the one"), msg);
        Files.writeString(dir.resolve("tokenizer.bpe"), "another tokenizer", StandardCharsets.UTF_8);
        msg = openError();
        assertTrue(msg.contains("tokenizer.bpe has SHA-256") && msg.contains("manifest was written with"), msg);
    }

    @Test
    void writerRejectsIdsOutsideTheVocabulary() throws IOException {
        try (ShardWriter w = new ShardWriter(0, 10, OutputStream.nullOutputStream(), OutputStream.nullOutputStream())) {
            String msg = assertThrows(IllegalArgumentException.class, () -> w.add(new int[] {3, 10}))
                    .getMessage();
            assertEquals("token id 10 of document 0 is outside [0, 10)", msg);
        }
    }
}
