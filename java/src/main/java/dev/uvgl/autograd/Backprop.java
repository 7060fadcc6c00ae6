package dev.uvgl.autograd;

import dev.uvgl.tensor.Shape;
import dev.uvgl.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode differentiation over the tape: the nodes reachable from the loss, run newest first,
 * so every node sees the complete gradient of its output before it runs. The order depends only on
 * the order ops were recorded, so results are deterministic. Leaf gradients accumulate across
 * calls until cleared, as in PyTorch.
 */
public final class Backprop {
    private Backprop() {}

    public static void run(Tensor loss) {
        if (loss.numel() != 1)
            throw new IllegalArgumentException("backward() starts from a one-element loss, got shape " + loss.shape());
        if (!loss.requiresGrad())
            throw new IllegalStateException("backward(): the loss does not require grad (no input needed a gradient, "
                    + "or it was computed under noGrad)");
        Tensor seed = loss.backend().full(loss.shape(), loss.dtype(), 1.0);
        if (loss.isLeaf()) { accumulate(loss, seed); return; }

        Map<Node, Tensor> gradOfOutput = new IdentityHashMap<>();
        gradOfOutput.put(loss.gradFn(), seed);
        try (var s = GradMode.noGrad()) {
            for (Node node : reachable(loss.gradFn())) {
                Tensor g = gradOfOutput.remove(node);
                if (g == null) continue;
                Tensor[] inputs = node.inputs();
                Tensor[] grads = node.backward(g);
                for (int i = 0; i < inputs.length; i++) {
                    Tensor in = inputs[i];
                    if (in == null || !in.requiresGrad() || grads[i] == null) continue;
                    checkShape(node, i, in.shape(), grads[i].shape());
                    if (in.isLeaf()) accumulate(in, grads[i]);
                    else gradOfOutput.merge(in.gradFn(), grads[i],
                            (a, b) -> a.backend().add(a, b)); // not in place: a may alias another gradient
                }
            }
        }
    }

    private static void accumulate(Tensor leaf, Tensor g) {
        // Own the buffer: g may alias a tensor that another node still reads.
        if (leaf.grad() == null) leaf.setGrad(g.backend().copy(g));
        else leaf.backend().addInPlace(leaf.grad(), g);
    }

    private static void checkShape(Node node, int i, Shape want, Shape got) {
        if (!want.equals(got))
            throw new IllegalStateException(node.name() + ".backward returned a gradient of shape " + got
                    + " for input " + i + " of shape " + want);
    }

    /** Nodes reachable from root, newest first. */
    private static List<Node> reachable(Node root) {
        List<Node> nodes = new ArrayList<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        seen.put(root, true);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            nodes.add(n);
            for (Tensor in : n.inputs()) {
                if (in == null || in.gradFn() == null || seen.containsKey(in.gradFn())) continue;
                seen.put(in.gradFn(), true);
                stack.push(in.gradFn());
            }
        }
        nodes.sort(Comparator.comparingLong(Node::sequence).reversed());
        return nodes;
    }
}
