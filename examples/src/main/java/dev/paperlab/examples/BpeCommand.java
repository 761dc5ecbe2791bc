package dev.paperlab.examples;

import dev.paperlab.framework.algorithms.select.TopK;
import dev.paperlab.models.tokenizer.BpeTokenizer;
import dev.paperlab.models.tokenizer.BpeTrainer;
import dev.paperlab.models.tokenizer.OpenAiEncodings;
import dev.paperlab.models.tokenizer.SplitPattern;
import dev.paperlab.training.listeners.SummaryJsonListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Byte-level BPE: train a vocabulary, encode a file, or report an encoding's statistics. */
@Command(
        name = "bpe",
        mixinStandardHelpOptions = true,
        description = "Byte-level BPE: train, encode or stats (r50k_base, cl100k_base or a trained file).",
        subcommands = {BpeCommand.Train.class, BpeCommand.Encode.class, BpeCommand.Stats.class})
public final class BpeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose a subcommand: train, encode or stats");
    }

    /** Options of every bpe subcommand. */
    abstract static class Sub extends ExampleCommand {
        @Option(names = "--input", description = "Text file (default: shared/data/tinyshakespeare.txt).")
        Path input;

        @Option(names = "--out", description = "Output folder (default: runs/bpe-<subcommand>).")
        Path out;

        abstract String name();

        Path outDir() {
            return out != null ? out : Path.of("runs", "bpe-" + name());
        }

        Path inputFile() {
            return TextFiles.resolve(input, "tinyshakespeare.txt");
        }

        Map<String, Object> summary() {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("command", "bpe " + name());
            return s;
        }

        Map<String, Object> finish(Map<String, Object> summary) {
            SummaryJsonListener.write(outDir().resolve("summary.json"), summary);
            return summary;
        }
    }

    /** Learns a vocabulary and saves it. */
    @Command(name = "train", mixinStandardHelpOptions = true, description = "Learn a byte-level BPE vocabulary.")
    public static final class Train extends Sub {
        @Option(names = "--vocab-size", description = "256 bytes + merges + specials (default: ${DEFAULT-VALUE}).")
        int vocabSize = 512;

        @Option(names = "--pattern", description = "Pre-tokenization: gpt2, cl100k or none (default: gpt2).")
        SplitPattern pattern = SplitPattern.GPT2;

        @Option(names = "--special", description = "Special token, repeatable (default: <|endoftext|>).")
        List<String> specials = new ArrayList<>(List.of("<|endoftext|>"));

        @Option(names = "--model", description = "Where to save the tokenizer (default: <out>/tokenizer.bpe).")
        Path model;

        @Override
        String name() {
            return "train";
        }

        @Override
        public Map<String, Object> runExample() throws IOException {
            BpeTrainer trainer = BpeTrainer.builder()
                    .setVocabSize(vocabSize)
                    .optPattern(pattern)
                    .optSpecialTokens(specials)
                    .build();
            Path file = inputFile();
            String text = TextFiles.read(file);
            long start = System.nanoTime();
            BpeTokenizer tokenizer = trainer.train(text);
            double seconds = (System.nanoTime() - start) / 1e9;
            Path target = model != null ? model : outDir().resolve("tokenizer.bpe");
            if (target.toAbsolutePath().getParent() != null) {
                Files.createDirectories(target.toAbsolutePath().getParent());
            }
            tokenizer.save(target);
            int[] ids = tokenizer.encode(text);
            long bytes = text.getBytes(StandardCharsets.UTF_8).length;
            System.out.printf(
                    "trained %d tokens (%d merges) on %s in %.2f s: %.3f bytes/token%n",
                    tokenizer.vocabSize(),
                    tokenizer.ordinaryTokenCount() - 256,
                    file,
                    seconds,
                    (double) bytes / ids.length);
            Map<String, Object> s = summary();
            s.put("input", file.toString());
            s.put("pattern", pattern.name().toLowerCase(Locale.ROOT));
            s.put("vocab_size", tokenizer.vocabSize());
            s.put("merges", tokenizer.ordinaryTokenCount() - 256);
            s.put("seconds", seconds);
            s.put("bytes", bytes);
            s.put("tokens", ids.length);
            s.put("bytes_per_token", (double) bytes / ids.length);
            s.put("model", target.toString());
            return finish(s);
        }
    }

    /** Loads {@code r50k_base}, {@code cl100k_base} or a file saved by {@code bpe train}. */
    static BpeTokenizer tokenizer(String encoding) {
        switch (encoding) {
            case "r50k_base":
                return OpenAiEncodings.r50kBase();
            case "cl100k_base":
                return OpenAiEncodings.cl100kBase();
            default:
                Path file = Path.of(encoding);
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("--encoding '" + encoding
                            + "' is neither r50k_base, cl100k_base nor an existing tokenizer file");
                }
                try {
                    return BpeTokenizer.load(file);
                } catch (IOException e) {
                    throw new IllegalArgumentException(
                            "--encoding " + file + " is not a readable tokenizer: " + e.getMessage(), e);
                }
        }
    }

    /** Encodes a file into whitespace-separated decimal ids. */
    @Command(name = "encode", mixinStandardHelpOptions = true, description = "Encode a text file to token ids.")
    public static final class Encode extends Sub {
        @Option(
                names = "--encoding",
                description = "r50k_base, cl100k_base or a file from bpe train (default: ${DEFAULT-VALUE}).")
        String encoding = "r50k_base";

        @Option(names = "--output", description = "Ids file (default: <out>/ids.txt).")
        Path output;

        @Override
        String name() {
            return "encode";
        }

        @Override
        public Map<String, Object> runExample() throws IOException {
            Path file = inputFile();
            String text = TextFiles.read(file);
            long loadStart = System.nanoTime();
            BpeTokenizer tokenizer = tokenizer(encoding);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            long start = System.nanoTime();
            int[] ids = tokenizer.encode(text);
            double seconds = (System.nanoTime() - start) / 1e9;
            Path target = output != null ? output : outDir().resolve("ids.txt");
            if (target.toAbsolutePath().getParent() != null) {
                Files.createDirectories(target.toAbsolutePath().getParent());
            }
            try (BufferedWriter w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
                for (int i = 0; i < ids.length; i++) {
                    w.write(Integer.toString(ids[i]));
                    w.write(i % 20 == 19 || i == ids.length - 1 ? '\n' : ' ');
                }
            }
            long bytes = text.getBytes(StandardCharsets.UTF_8).length;
            double mbPerSecond = bytes / 1e6 / Math.max(seconds, 1e-9);
            System.out.printf(
                    "%s: %d bytes -> %d tokens (%.3f bytes/token) in %.3f s, %.2f MB/s -> %s%n",
                    tokenizer.name(), bytes, ids.length, (double) bytes / ids.length, seconds, mbPerSecond, target);
            Map<String, Object> s = summary();
            s.put("encoding", tokenizer.name());
            s.put("input", file.toString());
            s.put("vocab_size", tokenizer.vocabSize());
            s.put("bytes", bytes);
            s.put("tokens", ids.length);
            s.put("bytes_per_token", (double) bytes / Math.max(1, ids.length));
            s.put("seconds", seconds);
            s.put("load_seconds", loadSeconds);
            s.put("mb_per_second", mbPerSecond);
            s.put("output", target.toString());
            return finish(s);
        }
    }

    /** Vocabulary size, bytes per token on a text, the first merges and the most used tokens. */
    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Statistics of an encoding on a text.")
    public static final class Stats extends Sub {
        @Option(
                names = "--encoding",
                description = "r50k_base, cl100k_base or a file from bpe train (default: ${DEFAULT-VALUE}).")
        String encoding = "r50k_base";

        @Option(names = "--top", description = "How many merges and tokens to list (default: ${DEFAULT-VALUE}).")
        int top = 10;

        @Override
        String name() {
            return "stats";
        }

        @Override
        public Map<String, Object> runExample() {
            if (top < 1) {
                throw new IllegalArgumentException("--top must be >= 1, got " + top);
            }
            Path file = inputFile();
            String text = TextFiles.read(file);
            long start = System.nanoTime();
            BpeTokenizer tokenizer = tokenizer(encoding);
            int[] ids = tokenizer.encode(text);
            double seconds = (System.nanoTime() - start) / 1e9;
            long bytes = text.getBytes(StandardCharsets.UTF_8).length;
            // the first merges learned are the lowest ranks above the 256 single bytes
            List<String> firstMerges = new ArrayList<>();
            for (int rank = 256; rank < tokenizer.ordinaryTokenCount() && firstMerges.size() < top; rank++) {
                firstMerges.add(show(tokenizer.tokenBytes(rank)));
            }
            long[] counts = new long[tokenizer.vocabSize()];
            for (int id : ids) {
                counts[id]++;
            }
            List<Map<String, Object>> frequent = new ArrayList<>();
            for (int id : topIndices(counts, top)) {
                if (counts[id] > 0) {
                    frequent.add(Map.of("token", show(tokenizer.tokenBytes(id)), "id", id, "count", counts[id]));
                }
            }
            System.out.printf(
                    "%s: vocab %d, %.3f bytes/token on %s%nfirst merges: %s%nmost used: %s%n",
                    tokenizer.name(), tokenizer.vocabSize(), (double) bytes / ids.length, file, firstMerges, frequent);
            Map<String, Object> s = summary();
            s.put("encoding", tokenizer.name());
            s.put("input", file.toString());
            s.put("vocab_size", tokenizer.vocabSize());
            s.put("special_tokens", tokenizer.specialTokens());
            s.put("bytes", bytes);
            s.put("tokens", ids.length);
            s.put("bytes_per_token", (double) bytes / Math.max(1, ids.length));
            s.put("first_merges", firstMerges);
            s.put("most_used_tokens", frequent);
            s.put("seconds", seconds);
            return finish(s);
        }

        private static int[] topIndices(long[] counts, int k) {
            double[] asDouble = new double[counts.length];
            for (int i = 0; i < counts.length; i++) {
                asDouble[i] = counts[i];
            }
            return TopK.largest(asDouble, Math.min(k, counts.length)).indices();
        }

        /** Token bytes as readable text: UTF-8 with whitespace made visible. */
        private static String show(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8)
                    .replace("\n", "\\n")
                    .replace("\t", "\\t")
                    .replace("\r", "\\r")
                    .replace(" ", "␣");
        }
    }
}
