package dev.paperlab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.paperlab.framework.adapters.LoraLinear;
import dev.paperlab.framework.nn.SquaredErrorLoss;
import dev.paperlab.training.optim.Adam;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Parameters outside a step's graph must stay put. A LoRA layer (Hu et al. 2021) is fine-tuned
 * with its head under AdamW, then merged ({@code W = W0 + (alpha/r) B A}) while the head trains
 * on: the merged forward no longer uses A and B, yet their Adam momentum and weight decay would
 * still move them, and {@link LoraLinear#unmerge()} would then subtract a different {@code B A}
 * than it added. Skipping them in {@link TrainedPart#update} keeps unmerge exact.
 */
class FrozenParametersTest {
    private static final int IN = 6;
    private static final int OUT = 4;

    @Test
    void unmergeRestoresW0ExactlyAfterFineTuningWithWeightDecay() {
        Engine.getInstance().setRandomSeed(21);
        try (NDManager manager = NDManager.newBaseManager()) {
            Linear base = Linear.builder().setUnits(OUT).build();
            base.initialize(manager, DataType.FLOAT32, new Shape(1, IN));
            LoraLinear lora =
                    LoraLinear.builder().setBase(base).setRank(2).optAlpha(4).build();
            float[] w0 = lora.getBaseWeight().getArray().toFloatArray();
            SequentialBlock net = new SequentialBlock()
                    .add(lora)
                    .add(Activation::tanh)
                    .add(Linear.builder().setUnits(1).build());
            Adam adamW = Adam.builder()
                    .optLearningRate(0.05f)
                    .optDecoupledWeightDecay(true)
                    .optWeightDecays(0.1f)
                    .build();
            TrainedPart part = Parts.create("net", net, new SquaredErrorLoss(), adamW, Device.cpu(), new Shape(8, IN));
            try (var model = part.model();
                    var trainer = part.trainer()) {
                for (int i = 0; i < 5; i++) {
                    fit(part, Set.of()); // adapters and head train; W0 is frozen
                }
                lora.merge();
                NDArray a = lora.getLoraA().getArray();
                NDArray b = lora.getLoraB().getArray();
                float[] aAtMerge = a.toFloatArray();
                float[] bAtMerge = b.toFloatArray();
                // what unmerge computes when A and B are as at merge time: W - (alpha/r) B A
                float[] expected = lora.getBaseWeight()
                        .getArray()
                        .sub(b.matMul(a).mul(lora.getScaling()))
                        .toFloatArray();
                Set<Parameter> outsideTheGraph = Set.of(lora.getLoraA(), lora.getLoraB());
                for (int i = 0; i < 5; i++) {
                    fit(part, outsideTheGraph); // only the head is on the merged model's graph
                }
                lora.unmerge();
                assertArrayEquals(aAtMerge, a.toFloatArray(), 0f, "A moved while merged");
                assertArrayEquals(bAtMerge, b.toFloatArray(), 0f, "B moved while merged");
                assertArrayEquals(expected, lora.getBaseWeight().getArray().toFloatArray(), 0f, "W0 after unmerge");
                float[] restored = lora.getBaseWeight().getArray().toFloatArray();
                for (int i = 0; i < w0.length; i++) {
                    // (W0 + d) - d in float32 differs from W0 by at most an ulp of W0 + d (|W| < 1, |d| < 1)
                    assertEquals(w0[i], restored[i], 2 * Math.ulp(1f), "W0[" + i + "]");
                }
            }
        }
    }

    private static void fit(TrainedPart part, Set<Parameter> skip) {
        try (NDManager scope = part.trainer().getManager().newSubManager()) {
            NDArray x = scope.randomNormal(new Shape(8, IN));
            NDArray y = x.sum(new int[] {1}, true).tanh();
            part.update(
                    () -> part.trainer()
                            .forward(new NDList(x))
                            .head()
                            .sub(y)
                            .square()
                            .mean(),
                    GradientHook.NONE,
                    skip);
        }
    }
}
