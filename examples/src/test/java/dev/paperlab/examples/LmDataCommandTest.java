package dev.paperlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paperlab.datasets.shards.ShardFormat;
import dev.paperlab.datasets.shards.ShardManifest;
import dev.paperlab.datasets.shards.ShardWriter;
import dev.paperlab.models.tokenizer.BpeTokenizer;
import dev.paperlab.models.tokenizer.BpeTrainer;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lm --data DIR}: training from token shards as the pipeline writes them. */
class LmDataCommandTest {
    @TempDir
    static Path dir;

    private static Path shards;
    private static long tokens;

    /** Paragraphs of tinyshakespeare, BPE-encoded with a separator, alternately in two shards. */
    @BeforeAll
    static void writeShards() throws Exception {
        String text =
                TextFiles.read(TextFiles.resolve(null, "tinyshakespeare.txt")).substring(0, 30_000);
        BpeTokenizer tok = BpeTrainer.builder()
                .setVocabSize(320)
                .optSpecialTokens(List.of("<|endoftext|>"))
                .build()
                .train(text);
        shards = Files.createDirectories(dir.resolve("shards"));
        tok.save(shards.resolve("tokenizer.bpe"));
        int eot = tok.specialTokens().get("<|endoftext|>");
        String[] docs = text.split("\n\n");
        List<ShardManifest.Shard> entries = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            try (OutputStream bin = Files.newOutputStream(shards.resolve(ShardFormat.binName(s)));
                    OutputStream idx = Files.newOutputStream(shards.resolve(ShardFormat.idxName(s)));
                    ShardWriter w = new ShardWriter(s, tok.vocabSize(), bin, idx)) {
                for (int d = s; d < docs.length; d += 2) {
                    int[] ids = tok.encode(docs[d]);
                    int[] withEot = Arrays.copyOf(ids, ids.length + 1);
                    withEot[ids.length] = eot;
                    w.add(withEot);
                }
                entries.add(w.finish());
            }
        }
        ShardManifest m = ShardManifest.of(
                tok.vocabSize(),
                eot,
                "tokenizer.bpe",
                ShardManifest.sha256(shards.resolve("tokenizer.bpe")),
                entries,
                Map.of());
        Files.writeString(shards.resolve(ShardManifest.FILE), m.toJson());
        tokens = m.tokens();
    }

    private static CommandRun lm(Path data, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "lm",
                "--data",
                data.toString(),
                "--layers",
                "1",
                "--d-model",
                "32",
                "--heads",
                "2",
                "--context",
                "16",
                "--batch-size",
                "4",
                "--sample-tokens",
                "5",
                "--no-progress",
                "--out",
                out.toString()));
        args.addAll(List.of(more));
        return CommandRun.of(args.toArray(String[]::new));
    }

    @Test
    void resumesFromShardsExactlyLikeAStraightRun() throws Exception {
        CommandRun straight = lm(shards, dir.resolve("straight"), "--steps", "6");
        assertEquals(0, straight.code(), straight.err());
        CommandRun first = lm(shards, dir.resolve("resumed"), "--steps", "3", "--checkpoint-every", "3");
        assertEquals(0, first.code(), first.err());
        CommandRun second = lm(shards, dir.resolve("resumed"), "--steps", "6", "--resume");
        assertEquals(0, second.code(), second.err());
        Map<?, ?> a = CommandRun.summary(dir.resolve("straight"));
        Map<?, ?> b = CommandRun.summary(dir.resolve("resumed"));
        for (String key : List.of("steps", "train_loss", "val_loss", "sample")) {
            assertEquals(a.get(key), b.get(key), key);
        }
        assertEquals(tokens, ((Number) a.get("data_tokens")).longValue());
        assertEquals(320, ((Number) a.get("vocab_size")).intValue());
    }

    @Test
    void badShardsAndAForeignTokenizerExitWithOneClearError() throws Exception {
        Path other = dir.resolve("other.bpe");
        BpeTrainer.builder().setVocabSize(260).build().train("some other text").save(other);
        CommandRun o = lm(shards, dir.resolve("x"), "--steps", "1", "--tokenizer", other.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("is not the one the shards in"), o.err());

        o = lm(shards, dir.resolve("x"), "--steps", "1", "--input", "x.txt");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("leave out --input"), o.err());

        Path broken = Files.createDirectories(dir.resolve("broken"));
        for (Path f : Files.list(shards).toList()) {
            Files.copy(f, broken.resolve(f.getFileName()));
        }
        byte[] bin = Files.readAllBytes(broken.resolve(ShardFormat.binName(1)));
        Files.write(broken.resolve(ShardFormat.binName(1)), Arrays.copyOf(bin, bin.length - 100));
        o = lm(broken, dir.resolve("y"), "--steps", "1");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("shard-00001.bin") && o.err().contains("truncated"), o.err());
    }
}
