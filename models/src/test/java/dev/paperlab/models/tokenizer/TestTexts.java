package dev.paperlab.models.tokenizer;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The shared text corpora and hand-picked edge cases used by the tokenizer tests. */
final class TestTexts {
    static final List<String> EDGE_CASES = List.of(
            "",
            " ",
            "a",
            "hello world",
            "Hello, World! It's 2024; we'll see... don't you think? I'M SURE he'D come.",
            "'s 's 'S 'ſ 'LL 'Ve 're 'x '",
            "   leading and trailing   ",
            "tabs\tand\t\tnewlines\n\n\r\n  \n x\n",
            "\u00A0nbsp\u3000ideographic\u2028line\u2029para\u0085nel",
            "12345678901 ١٢٣٤٥ Ⅻ ² ½",
            "ça va? Ünïcödé naïve café façade",
            "日本語のテキスト、中文文本。한국어 텍스트",
            "emoji 😀👍🏽👨‍👩‍👧‍👦 flags 🇩🇪🇯🇵",
            "Привет мир! Γειά σου Κόσμε",
            "e\u0301 combining a\u0308\u0304 marks",
            "<|endoftext|> is a special token",
            "code: for (int i = 0; i < n; i++) { sum += a[i]; }\n\treturn sum;",
            "!!!???...,,,;;;   ...\n\n\n",
            "a".repeat(1000),
            " ".repeat(300) + "x",
            "\n".repeat(50),
            "😀".repeat(200));

    private TestTexts() {}

    /**
     * {@code shared/data/<name>} from the nearest ancestor of the working directory that has it;
     * a test that needs a missing corpus fails, saying what to install where.
     */
    static String corpus(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("shared").resolve("data").resolve(name);
            if (Files.isRegularFile(file)) {
                try {
                    return Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return fail("shared/data/" + name + " not found in " + Path.of("").toAbsolutePath()
                + " or any folder above it. The tokenizer tests need the text corpora in shared/data/"
                + " beside the checkout: tinyshakespeare.txt (input.txt of karpathy/char-rnn"
                + " data/tinyshakespeare) and wikitext-2-valid.txt (wiki.valid.tokens of WikiText-2).");
    }
}
