package dev.paperlab.models.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenAI's published encodings, read from the {@code .tiktoken} rank files that the JTokkit jar
 * ships ({@code /com/knuddels/jtokkit/<name>.tiktoken}); only the rank data is used, encoding is
 * ours. Special token ids are tiktoken's.
 */
public final class OpenAiEncodings {
    private static final String RESOURCES = "/com/knuddels/jtokkit/";

    private OpenAiEncodings() {}

    /** GPT-2's r50k_base: ranks 0..50255, the GPT-2 split pattern, {@code <|endoftext|>} = 50256. */
    public static BpeTokenizer r50kBase() {
        return fromResource("r50k_base", SplitPattern.GPT2, Map.of("<|endoftext|>", 50256));
    }

    /**
     * GPT-4's cl100k_base: ranks 0..100255, the GPT-4 split pattern, {@code <|endoftext|>} =
     * 100257, {@code <|fim_prefix|> <|fim_middle|> <|fim_suffix|>} = 100258..100260 and {@code
     * <|endofprompt|>} = 100276.
     */
    public static BpeTokenizer cl100kBase() {
        Map<String, Integer> specials = new LinkedHashMap<>();
        specials.put("<|endoftext|>", 100257);
        specials.put("<|fim_prefix|>", 100258);
        specials.put("<|fim_middle|>", 100259);
        specials.put("<|fim_suffix|>", 100260);
        specials.put("<|endofprompt|>", 100276);
        return fromResource("cl100k_base", SplitPattern.CL100K, specials);
    }

    private static BpeTokenizer fromResource(String name, SplitPattern pattern, Map<String, Integer> specials) {
        String resource = RESOURCES + name + ".tiktoken";
        try (InputStream in = OpenAiEncodings.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("rank file " + resource + " is not on the classpath (jtokkit jar)");
            }
            return BpeTokenizer.fromTiktoken(name, in, pattern, specials);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
