package dev.paperlab.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small corpus with planted duplicates: the first {@code chars} characters of tinyshakespeare,
 * split into two files, followed by a third file of exact copies and near copies (one word
 * changed) of long paragraphs of the first two.
 */
final class TestCorpus {
    final List<String> originals = new ArrayList<>();
    final List<String> nearCopies = new ArrayList<>();
    final List<String> exactCopies = new ArrayList<>();

    static Path shakespeare() {
        return SharedData.find("tinyshakespeare.txt");
    }

    TestCorpus(Path dir, int chars, long seed) throws IOException {
        String text = Files.readString(shakespeare(), StandardCharsets.UTF_8).substring(0, chars);
        int cut = text.indexOf("\n\n", chars / 2);
        Files.writeString(dir.resolve("a.txt"), text.substring(0, cut));
        Files.writeString(dir.resolve("b.txt"), text.substring(cut));
        Random rnd = new Random(seed);
        List<String> paragraphs = Documents.paragraphs(text);
        StringBuilder planted = new StringBuilder();
        for (String p : paragraphs) {
            String[] words = p.split(" ");
            if (words.length < 40 || rnd.nextInt(3) != 0) {
                continue;
            }
            originals.add(p);
            if (rnd.nextBoolean()) {
                exactCopies.add(p);
                planted.append(p).append("\n\n");
            } else {
                words[words.length / 2] = "zounds" + rnd.nextInt(1000);
                String near = String.join(" ", words);
                nearCopies.add(near);
                planted.append(near).append("\n\n");
            }
        }
        Files.writeString(dir.resolve("c.txt"), planted.toString());
    }
}
