package dev.paperlab.models.lm;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paperlab.models.tokenizer.BpeTokenizer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads a trained LM with what is needed to use it: {@code lm.json} (format version,
 * {@link LmConfig}, vocabulary), {@code lm.params} (DJL parameter encoding) and, for token-level
 * models, {@code tokenizer.bpe}.
 */
public final class LmStore {
    private static final String FORMAT = "paperlab-lm";
    /** Version 2 stores the attention kernel apart from the head grouping; version 1 is still read. */
    private static final int VERSION = 2;

    private static final String TOKENIZER_FILE = "tokenizer.bpe";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A loaded model and its vocabulary. */
    public record Loaded(DecoderLm model, TextCodec codec) {}

    private LmStore() {}

    public static void save(Path dir, DecoderLm lm, TextCodec codec) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        meta.put("config", lm.config());
        meta.put("codec", codec.describe());
        if (codec instanceof CharVocabulary chars) {
            meta.put("code_points", chars.codePoints());
        } else if (codec instanceof BpeCodec bpe) {
            bpe.tokenizer().save(dir.resolve(TOKENIZER_FILE));
            meta.put("tokenizer", TOKENIZER_FILE);
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("lm.json").toFile(), meta);
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve("lm.params"))))) {
            lm.saveParameters(out);
        }
    }

    /** Loads a model saved by {@link #save}; its parameters live on {@code manager}. */
    public static Loaded load(Path dir, NDManager manager) throws IOException {
        Path json = dir.resolve("lm.json");
        if (!Files.exists(json)) {
            throw new IllegalArgumentException("no saved LM in " + dir + " (missing lm.json)");
        }
        Map<?, ?> meta = JSON.readValue(json.toFile(), Map.class);
        Object version = meta.get("version");
        if (!FORMAT.equals(meta.get("format"))
                || !(Integer.valueOf(1).equals(version)
                        || Integer.valueOf(VERSION).equals(version))) {
            throw new IOException(json + " has format " + meta.get("format") + " version " + version + ", expected "
                    + FORMAT + " version 1 to " + VERSION);
        }
        LmConfig config;
        try {
            Map<?, ?> stored = (Map<?, ?>) meta.get("config");
            config = JSON.convertValue(
                    Integer.valueOf(1).equals(version) ? fromVersion1(stored) : stored, LmConfig.class);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IOException(json + " holds no valid LM configuration: " + e.getMessage(), e);
        }
        TextCodec codec;
        String kind = String.valueOf(meta.get("codec"));
        if (kind.equals("chars")) {
            List<?> cps = (List<?>) meta.get("code_points");
            codec = new CharVocabulary(
                    cps.stream().mapToInt(o -> ((Number) o).intValue()).toArray());
        } else if (kind.equals("bytes")) {
            codec = new ByteVocabulary();
        } else if (kind.equals("bpe")) {
            codec = new BpeCodec(BpeTokenizer.load(dir.resolve(TOKENIZER_FILE)));
        } else {
            throw new IOException(json + " names an unknown vocabulary '" + kind + "'");
        }
        DecoderLm lm = DecoderLm.builder().optConfig(config).build();
        lm.initialize(manager, DataType.FLOAT32, new Shape(1, config.context()));
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve("lm.params"))))) {
            lm.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException("corrupt parameters in " + dir.resolve("lm.params") + ": " + e.getMessage(), e);
        }
        // DJL's loader replaces the arrays without gradient buffers; restore them for training.
        lm.getParameters().values().forEach(p -> {
            if (p.requiresGradient()) {
                p.getArray().setRequiresGradient(true);
            }
        });
        return new Loaded(lm, codec);
    }

    /**
     * Version 1 kept one {@code attention} value, MHA, GQA, MQA (kv heads stored beside it) or
     * FLASH; those models ran the chunked kernel unless FLASH was named.
     */
    private static Map<String, Object> fromVersion1(Map<?, ?> config) {
        Map<String, Object> out = new LinkedHashMap<>();
        config.forEach((k, v) -> out.put(String.valueOf(k), v));
        Object attention = out.remove("attention");
        out.put(
                "attentionKernel",
                "FLASH".equals(attention) ? LmConfig.Kernel.FLASH.name() : LmConfig.Kernel.CHUNKED.name());
        return out;
    }
}
