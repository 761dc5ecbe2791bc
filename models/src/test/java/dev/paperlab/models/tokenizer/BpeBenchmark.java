package dev.paperlab.models.tokenizer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * Measures encoding throughput (ours vs JTokkit, same JVM, one thread, warm) and training time.
 * Runs only with {@code -Dbpe.bench=true}: {@code mvn -q -pl models -am test -Dtest=BpeBenchmark
 * -Dbpe.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class BpeBenchmark {
    private static final int PASSES = 6;

    @Test
    void run() {
        assumeTrue(Boolean.getBoolean("bpe.bench"), "set -Dbpe.bench=true to measure");
        main(new String[0]);
    }

    public static void main(String[] args) {
        String text = TestTexts.corpus("tinyshakespeare.txt");
        double mb = text.getBytes(StandardCharsets.UTF_8).length / 1e6;
        var registry = Encodings.newDefaultEncodingRegistry();
        Encoding jr50k = registry.getEncoding(EncodingType.R50K_BASE);
        Encoding jcl100k = registry.getEncoding(EncodingType.CL100K_BASE);
        BpeTokenizer r50k = BpeTokenizer.r50kBase();
        BpeTokenizer cl100k = BpeTokenizer.cl100kBase();
        System.out.printf("tinyshakespeare: %.3f MB UTF-8, %d passes, MB/s of pass 2 and best%n", mb, PASSES);
        for (int round = 0; round < 2; round++) { // interleave to even out JIT and heap effects
            report("r50k   ours   ", mb, s -> r50k.encodeOrdinary(s).length, text);
            report("r50k   jtokkit", mb, s -> jr50k.encodeOrdinary(s).size(), text);
            report("cl100k ours   ", mb, s -> cl100k.encodeOrdinary(s).length, text);
            report("cl100k jtokkit", mb, s -> jcl100k.encodeOrdinary(s).size(), text);
        }
        String half = text.substring(0, text.length() / 2);
        for (SplitPattern pattern : new SplitPattern[] {SplitPattern.GPT2, SplitPattern.NONE}) {
            for (int round = 0; round < 2; round++) {
                train(half, 8192, pattern);
                train(text, 8192, pattern);
            }
        }
    }

    private static void report(String label, double mb, ToIntFunction<String> encode, String text) {
        double second = 0;
        double best = 0;
        int tokens = 0;
        for (int pass = 1; pass <= PASSES; pass++) {
            long t0 = System.nanoTime();
            tokens = encode.applyAsInt(text);
            double rate = mb / ((System.nanoTime() - t0) / 1e9);
            second = pass == 2 ? rate : second;
            best = Math.max(best, rate);
        }
        System.out.printf("%s %7d tokens  pass2 %6.1f MB/s  best %6.1f MB/s%n", label, tokens, second, best);
    }

    private static void train(String corpus, int vocab, SplitPattern pattern) {
        long t0 = System.nanoTime();
        BpeTokenizer t = BpeTrainer.builder()
                .setVocabSize(vocab)
                .optPattern(pattern)
                .build()
                .train(corpus);
        double s = (System.nanoTime() - t0) / 1e9;
        int tokens = t.encodeOrdinary(corpus).length;
        System.out.printf(
                "train %s vocab %d on %d chars: %.2f s, %d tokens, %.2f bytes/token%n",
                pattern,
                t.vocabSize(),
                corpus.length(),
                s,
                tokens,
                corpus.getBytes(StandardCharsets.UTF_8).length / (double) tokens);
    }
}
