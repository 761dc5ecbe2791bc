package dev.paperlab.framework.adapters;

import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Puts LoRA adapters ({@link LoraLinear}; Hu et al., 2021) into an existing DJL model and freezes
 * everything else, as the paper does for the query and value projections of a Transformer.
 *
 * <p>A block's path is the DJL child keys from the root joined by {@code "/"}, e.g. {@code
 * "02encoder/01attention/03queryProjection"} (DJL numbers children: {@code AbstractBlock} stores
 * {@code "%02d" + name}, {@code SequentialBlock} adds the class name). Every {@link Linear} below
 * the root whose path the selector accepts is replaced by an adapter; the root itself is never
 * replaced.
 *
 * <p>How replacement works. DJL offers no way to swap a child: {@code getChildren()} returns a
 * defensive copy of the protected {@code AbstractBlock.children} list, and most blocks call their
 * children through fields of their own ({@code private Linear queryProjection}) rather than
 * through that list. So the parent is edited by reflection, in two places: the entry of {@code
 * children} is replaced at the same index under the same key (keeping forward, initialization and
 * save/load order), and every instance field of the parent that holds the same object (directly,
 * in a {@code List}, or in an array) is pointed at the adapter. Fields declared as {@code Linear}
 * accept it because {@link LoraLinear} extends {@code Linear}. A layer shared by several parents
 * gets one adapter. This needs DJL on the class path (unnamed module), the default for Maven and
 * Gradle.
 */
public final class Lora {

    /**
     * What {@link #apply} did.
     *
     * @param adaptedPaths the paths of the replaced layers, in traversal order
     * @param adapters the adapters in traversal order (a layer shared by two parents once)
     * @param trainableParameters values still requiring a gradient (the adapters')
     * @param totalParameters all values in the model, each shared parameter counted once
     */
    public record Report(
            List<String> adaptedPaths, List<LoraLinear> adapters, long trainableParameters, long totalParameters) {

        /** Returns {@code trainable / total}. */
        public double trainableFraction() {
            return totalParameters == 0 ? 0 : (double) trainableParameters / totalParameters;
        }
    }

    private Lora() {}

    /**
     * Adapts the selected layers with rank {@code rank} and scaling {@code alpha / rank}.
     *
     * @param model an initialized model, edited in place
     * @param selector accepts the paths of the {@code Linear} layers to adapt
     * @param rank r
     * @param alpha the LoRA alpha
     * @return what was adapted and the trainable fraction
     */
    public static Report apply(Block model, Predicate<String> selector, int rank, float alpha) {
        return apply(
                model,
                selector,
                linear -> LoraLinear.builder()
                        .setBase(linear)
                        .setRank(rank)
                        .optAlpha(alpha)
                        .build());
    }

    /**
     * Adapts the selected layers with adapters made by {@code adapter}, then freezes every
     * parameter of the model except the adapters' A and B.
     *
     * @param model an initialized model, edited in place
     * @param selector accepts the paths of the {@code Linear} layers to adapt
     * @param adapter builds the adapter for one base layer
     * @return what was adapted and the trainable fraction
     * @throws IllegalArgumentException if a selected layer's parent cannot be edited
     */
    public static Report apply(Block model, Predicate<String> selector, Function<Linear, LoraLinear> adapter) {
        Map<Linear, LoraLinear> made = new IdentityHashMap<>();
        List<String> paths = new ArrayList<>();
        List<LoraLinear> adapters = new ArrayList<>();
        replace(model, "", selector, adapter, made, paths, adapters);
        model.freezeParameters(true);
        for (LoraLinear lora : adapters) {
            lora.getLoraA().freeze(false);
            lora.getLoraB().freeze(false);
        }
        long trainable = 0;
        long total = 0;
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Parameter p : model.getParameters().values()) {
            if (seen.add(p) && p.isInitialized()) {
                long size = p.getArray().size();
                total += size;
                trainable += p.requiresGradient() ? size : 0;
            }
        }
        return new Report(List.copyOf(paths), List.copyOf(adapters), trainable, total);
    }

    /**
     * Finds the adapters in a model, e.g. to merge them all for inference.
     *
     * @param model the model
     * @return its adapters in traversal order
     */
    public static List<LoraLinear> adapters(Block model) {
        List<LoraLinear> found = new ArrayList<>();
        collect(model, found, Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void collect(Block block, List<LoraLinear> found, Set<Block> seen) {
        if (!seen.add(block)) {
            return;
        }
        if (block instanceof LoraLinear lora) {
            found.add(lora);
        }
        for (Block child : block.getChildren().values()) {
            collect(child, found, seen);
        }
    }

    private static void replace(
            Block parent,
            String parentPath,
            Predicate<String> selector,
            Function<Linear, LoraLinear> adapter,
            Map<Linear, LoraLinear> made,
            List<String> paths,
            List<LoraLinear> adapters) {
        BlockList children = parent.getChildren(); // a copy, safe to iterate while editing
        for (int i = 0; i < children.size(); i++) {
            Pair<String, Block> child = children.get(i);
            String path = parentPath.isEmpty() ? child.getKey() : parentPath + "/" + child.getKey();
            Block block = child.getValue();
            if (block instanceof Linear linear && !(block instanceof LoraLinear) && selector.test(path)) {
                LoraLinear lora = made.get(linear);
                if (lora == null) {
                    lora = adapter.apply(linear);
                    made.put(linear, lora);
                    adapters.add(lora);
                }
                swap(parent, path, i, linear, lora);
                paths.add(path);
            } else {
                replace(block, path, selector, adapter, made, paths, adapters);
            }
        }
    }

    private static void swap(Block parent, String path, int index, Linear old, LoraLinear lora) {
        if (!(parent instanceof AbstractBlock)) {
            throw new IllegalArgumentException("cannot replace " + path + ": its parent "
                    + parent.getClass().getName() + " is not an AbstractBlock");
        }
        try {
            Field childrenField = AbstractBlock.class.getDeclaredField("children");
            childrenField.setAccessible(true);
            BlockList list = (BlockList) childrenField.get(parent);
            String key = list.keyAt(index);
            list.remove(index);
            list.add(index, key, lora);
            for (Class<?> c = parent.getClass(); c != AbstractBlock.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers())
                            && !field.getType().isPrimitive()) {
                        retarget(parent, field, old, lora, path);
                    }
                }
            }
        } catch (ReflectiveOperationException | InaccessibleObjectException e) {
            throw new IllegalArgumentException(
                    "cannot replace " + path + " inside " + parent.getClass().getName() + ": " + e, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void retarget(Object parent, Field field, Linear old, LoraLinear lora, String path)
            throws IllegalAccessException {
        field.setAccessible(true);
        Object value = field.get(parent);
        if (value == old) {
            field.set(parent, lora);
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) == old) {
                    try {
                        ((List<Object>) list).set(i, lora);
                    } catch (UnsupportedOperationException e) {
                        throw new IllegalArgumentException(
                                "cannot replace " + path + ": field " + field.getName() + " is an unmodifiable list",
                                e);
                    }
                }
            }
        } else if (value instanceof Object[] array
                && array.getClass().getComponentType().isAssignableFrom(LoraLinear.class)) {
            for (int i = 0; i < array.length; i++) {
                if (array[i] == old) {
                    array[i] = lora;
                }
            }
        }
    }
}
