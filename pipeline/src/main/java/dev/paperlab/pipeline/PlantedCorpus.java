package dev.paperlab.pipeline;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A benchmark corpus of any size with known near-duplicates: base documents are random walks of
 * a word bigram chain fitted to the given texts (so their 5-word shingles are mostly new), and
 * each document is, with probability {@code pExact}, an exact copy and with {@code pNear} a near
 * copy of an earlier base document: one word in 50 (at least one) replaced by a random word, so
 * at most 5 shingles in 50 change and the copy's containment stays at or above 0.86 for 40+ words.
 * The ground truth goes to {@code _truth.tsv} (hidden from the job by its name): the content hash
 * and the kind ({@code base}, {@code exact}, {@code near}) of every document.
 */
public final class PlantedCorpus {
    private static final int FILE_BYTES = 16 << 20;
    private static final int RECENT = 10_000;

    private PlantedCorpus() {}

    /** Writes about {@code bytes} bytes of documents into {@code dir} (files of 16 MiB). */
    public static Map<String, Long> write(
            List<Path> sources, Path dir, long bytes, double pExact, double pNear, long seed) throws IOException {
        List<String> words = new ArrayList<>();
        for (Path p : sources) {
            for (String w : Files.readString(p, StandardCharsets.UTF_8).split("\\s+")) {
                if (!w.isEmpty()) {
                    words.add(w);
                }
            }
        }
        Map<String, Integer> ids = new HashMap<>();
        List<String> vocab = new ArrayList<>();
        int[] seq = new int[words.size()];
        for (int i = 0; i < seq.length; i++) {
            seq[i] = ids.computeIfAbsent(words.get(i), w -> {
                vocab.add(w);
                return vocab.size() - 1;
            });
        }
        // successors[a] lists every word that follows a, with repeats: sampling is by frequency.
        List<List<Integer>> next = new ArrayList<>();
        vocab.forEach(v -> next.add(new ArrayList<>()));
        for (int i = 0; i + 1 < seq.length; i++) {
            next.get(seq[i]).add(seq[i + 1]);
        }
        Files.createDirectories(dir);
        Random rnd = new Random(seed);
        List<String> recent = new ArrayList<>();
        Map<String, Long> counts = new HashMap<>();
        long written = 0;
        int file = 0;
        try (BufferedWriter truth = Files.newBufferedWriter(dir.resolve("_truth.tsv"))) {
            while (written < bytes) {
                Path path = dir.resolve(String.format("part-%05d.txt", file++));
                long fileBytes = 0;
                try (BufferedWriter out = Files.newBufferedWriter(path)) {
                    while (fileBytes < FILE_BYTES && written + fileBytes < bytes) {
                        double u = rnd.nextDouble();
                        String kind;
                        String doc;
                        if (!recent.isEmpty() && u < pExact) {
                            kind = "exact";
                            doc = recent.get(rnd.nextInt(recent.size()));
                        } else if (!recent.isEmpty() && u < pExact + pNear) {
                            kind = "near";
                            String[] w = recent.get(rnd.nextInt(recent.size())).split(" ");
                            for (int k = 0; k < Math.max(1, w.length / 50); k++) {
                                w[rnd.nextInt(w.length)] = vocab.get(rnd.nextInt(vocab.size()));
                            }
                            doc = String.join(" ", w);
                        } else {
                            kind = "base";
                            doc = walk(rnd, vocab, next, 40 + rnd.nextInt(160));
                            if (recent.size() < RECENT) {
                                recent.add(doc);
                            } else {
                                recent.set(rnd.nextInt(RECENT), doc);
                            }
                        }
                        String norm = Documents.normalize(doc);
                        Documents.Hash h = Documents.hash(norm);
                        truth.write(Long.toHexString(h.h1()) + "\t" + Long.toHexString(h.h2()) + "\t" + kind + "\n");
                        counts.merge(kind, 1L, Long::sum);
                        out.write(doc);
                        out.write("\n\n");
                        fileBytes += doc.length() + 2;
                    }
                }
                written += fileBytes;
            }
        }
        counts.put("bytes", written);
        return counts;
    }

    private static String walk(Random rnd, List<String> vocab, List<List<Integer>> next, int n) {
        StringBuilder sb = new StringBuilder();
        int w = rnd.nextInt(vocab.size());
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(vocab.get(w));
            List<Integer> succ = next.get(w);
            w = succ.isEmpty() ? rnd.nextInt(vocab.size()) : succ.get(rnd.nextInt(succ.size()));
        }
        return sb.toString();
    }

    /**
     * Recall of the planted near copies and the share of base documents removed. Exact copies share
     * their original's hash, so only their number is reported (the manifest counts their removal).
     */
    public static Map<String, Object> score(Path truthFile, List<Documents.Hash> kept) throws IOException {
        java.util.Set<Documents.Hash> keptSet = new java.util.HashSet<>(kept);
        Map<String, long[]> byKind = new HashMap<>(); // kind -> {count, removed}
        java.util.Set<Documents.Hash> seen = new java.util.HashSet<>();
        for (String line : Files.readAllLines(truthFile)) {
            String[] f = line.split("\t");
            Documents.Hash h = new Documents.Hash(Long.parseUnsignedLong(f[0], 16), Long.parseUnsignedLong(f[1], 16));
            if (f[2].equals("exact") || !seen.add(h)) {
                byKind.computeIfAbsent(f[2] + "_skipped", k -> new long[2])[0]++;
                continue; // a base text that happened to repeat, or a near copy equal to another
            }
            long[] c = byKind.computeIfAbsent(f[2], k -> new long[2]);
            c[0]++;
            c[1] += keptSet.contains(h) ? 0 : 1;
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        long[] near = byKind.getOrDefault("near", new long[2]);
        long[] base = byKind.getOrDefault("base", new long[2]);
        out.put("planted_near", near[0]);
        out.put("near_recall", near[0] == 0 ? 1.0 : (double) near[1] / near[0]);
        out.put("planted_exact", byKind.getOrDefault("exact_skipped", new long[2])[0]);
        out.put("base_documents", base[0]);
        out.put("false_removals", base[0] == 0 ? 0.0 : (double) base[1] / base[0]);
        return out;
    }
}
