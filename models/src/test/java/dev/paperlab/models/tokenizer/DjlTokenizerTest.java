package dev.paperlab.models.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.nlp.preprocess.Tokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DJL {@link Tokenizer} view: byte-level token strings that rebuild the sentence. */
class DjlTokenizerTest {
    private final BpeTokenizer r50k = BpeTokenizer.r50kBase();

    /** GPT-2's bytes_to_unicode written out independently: printable bytes stay, others shift. */
    private static String byteLevel(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte x : bytes) {
            int b = x & 0xFF;
            int shifted = 0;
            for (int c = 0; c < b; c++) {
                shifted += printable(c) ? 0 : 1;
            }
            sb.append((char) (printable(b) ? b : 256 + shifted));
        }
        return sb.toString();
    }

    private static boolean printable(int b) {
        return (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    }

    @Test
    void tokensAreByteLevelStringsOfTheIds() {
        Tokenizer t = r50k;
        // GPT-2's well-known ids: "Hello" = 15496, " world" = 995 shown as "Ġworld".
        assertEquals(List.of("Hello", "Ġworld"), t.tokenize("Hello world"));
        String text = "Hello world<|endoftext|> naïve 日本 😀\n";
        List<String> tokens = t.tokenize(text);
        int[] ids = r50k.encode(text);
        assertEquals(ids.length, tokens.size());
        for (int i = 0; i < ids.length; i++) {
            String expected = ids[i] == 50256 ? "<|endoftext|>" : byteLevel(r50k.tokenBytes(ids[i]));
            assertEquals(expected, tokens.get(i));
        }
        assertEquals(text, t.buildSentence(tokens));
        assertEquals(tokens, t.preprocess(List.of(text)));
    }

    @Test
    void foreignTokenStringsAndIdsAreRejectedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> r50k.buildSentence(List.of("a b")));
        assertTrue(e.getMessage().contains("U+20"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r50k.decode(new int[] {50257}));
        assertTrue(e.getMessage().contains("50257") && e.getMessage().contains("r50k_base"));
    }
}
