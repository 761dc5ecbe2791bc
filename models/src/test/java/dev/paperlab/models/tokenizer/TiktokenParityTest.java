package dev.paperlab.models.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** OpenAI's encodings loaded from rank files give exactly JTokkit's ids. */
class TiktokenParityTest {
    private static BpeTokenizer r50k;
    private static BpeTokenizer cl100k;
    private static Encoding jr50k;
    private static Encoding jcl100k;

    @BeforeAll
    static void load() {
        r50k = BpeTokenizer.r50kBase();
        cl100k = BpeTokenizer.cl100kBase();
        var registry = Encodings.newDefaultEncodingRegistry();
        jr50k = registry.getEncoding(EncodingType.R50K_BASE);
        jcl100k = registry.getEncoding(EncodingType.CL100K_BASE);
    }

    static Stream<Arguments> encodings() {
        return Stream.of(Arguments.of("r50k"), Arguments.of("cl100k"));
    }

    private static BpeTokenizer ours(String name) {
        return name.equals("r50k") ? r50k : cl100k;
    }

    private static Encoding reference(String name) {
        return name.equals("r50k") ? jr50k : jcl100k;
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void vocabularyShape(String name) {
        BpeTokenizer t = ours(name);
        assertEquals(name.equals("r50k") ? 50257 : 100277, t.vocabSize());
        assertEquals(name.equals("r50k") ? 50256 : 100256, t.ordinaryTokenCount());
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void corporaEncodeExactlyAsJTokkit(String name) {
        for (String file : new String[] {"tinyshakespeare.txt", "wikitext-2-valid.txt"}) {
            String text = TestTexts.corpus(file);
            int[] expected = reference(name).encodeOrdinary(text).toArray();
            int[] actual = ours(name).encodeOrdinary(text);
            assertArrayEquals(expected, actual, name + " on " + file);
            assertEquals(text, ours(name).decode(actual));
        }
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void edgeCasesEncodeExactlyAsJTokkit(String name) {
        for (String text : TestTexts.EDGE_CASES) {
            int[] actual = ours(name).encodeOrdinary(text);
            assertArrayEquals(reference(name).encodeOrdinary(text).toArray(), actual, text);
            assertEquals(text, ours(name).decode(actual));
            assertEquals(reference(name).decode(toList(actual)), ours(name).decode(actual));
        }
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void specialTokensAreRecognizedByEncodeOnly(String name) {
        BpeTokenizer t = ours(name);
        int eot = t.specialTokens().get("<|endoftext|>");
        String text = "first doc<|endoftext|>second doc<|endoftext|>";
        IntListBuilder expected = new IntListBuilder()
                .add(reference(name).encode("first doc").toArray())
                .add(eot)
                .add(reference(name).encode("second doc").toArray())
                .add(eot);
        assertArrayEquals(expected.toArray(), t.encode(text));
        assertArrayEquals(reference(name).encodeOrdinary(text).toArray(), t.encodeOrdinary(text));
        assertEquals(text, t.decode(t.encode(text)));
        // JTokkit refuses specials in encode; ours accepts them, and agrees when there are none.
        assertThrows(UnsupportedOperationException.class, () -> reference(name).encode(text));
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void loneSurrogatesBecomeQuestionMarks(String name) {
        String lone = "a\uD800b \uDC00 x\uD83D";
        String replaced = "a?b ? x?";
        assertArrayEquals(ours(name).encodeOrdinary(replaced), ours(name).encodeOrdinary(lone));
        assertEquals(replaced, ours(name).decode(ours(name).encodeOrdinary(lone)));
        // JTokkit's r50k uses String.getBytes, which makes the same replacement.
        assertArrayEquals(jr50k.encodeOrdinary(lone).toArray(), r50k.encodeOrdinary(lone));
        assertArrayEquals(
                reference(name).encodeOrdinary(replaced).toArray(), ours(name).encodeOrdinary(lone));
    }

    private static com.knuddels.jtokkit.api.IntArrayList toList(int[] ids) {
        var list = new com.knuddels.jtokkit.api.IntArrayList(ids.length);
        for (int id : ids) {
            list.add(id);
        }
        return list;
    }

    /** Concatenates id arrays. */
    private static final class IntListBuilder {
        private final IntList list = new IntList(16);

        IntListBuilder add(int... ids) {
            list.addAll(ids);
            return this;
        }

        int[] toArray() {
            return list.toArray();
        }
    }
}
