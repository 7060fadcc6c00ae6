package dev.uvgl.autograd;

import dev.uvgl.tensor.Tensor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One recorded op: its inputs and a backward that maps the gradient of its output to gradients of
 * its inputs. Every op class extends this, holding what its backward needs. The sequence number
 * orders the tape: backward visits nodes from the newest to the oldest.
 */
public abstract class Node {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final long sequence = SEQUENCE.getAndIncrement();
    private Tensor[] inputs = new Tensor[0];

    /** Gradients of the inputs, in input order; null for an input that needs none. */
    protected abstract Tensor[] backward(Tensor gradOutput);

    /** Op name for error messages. */
    public String name() { return getClass().getSimpleName(); }

    long sequence() { return sequence; }

    Tensor[] inputs() { return inputs; }

    /**
     * Attaches `node` as the producer of `output` when grad mode is on and any input needs a
     * gradient; otherwise the output is a plain tensor and the node is dropped.
     */
    public static Tensor record(Node node, Tensor output, Tensor... inputs) {
        if (!GradMode.enabled()) return output;
        boolean any = false;
        for (Tensor t : inputs) any |= t != null && t.requiresGrad();
        if (!any) return output;
        node.inputs = inputs;
        output.setGradFn(node);
        return output;
    }

    /** Whether input i wants a gradient (lets a backward skip work nobody reads). */
    protected boolean needsGrad(int i) { return inputs[i] != null && inputs[i].requiresGrad(); }
}
