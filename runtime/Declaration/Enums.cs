namespace HiddenSpace;

/// <summary>The element-wise function a <see cref="DenseAttribute"/> layer applies to its pre-activations.</summary>
public enum Activation
{
    /// <summary>f(z) = z.</summary>
    Linear = 0,
    /// <summary>f(z) = max(z, 0).</summary>
    ReLU = 1,
    /// <summary>f(z) = z for z &gt; 0, else 0.01·z.</summary>
    LeakyReLU = 2,
    /// <summary>f(z) = tanh(z). Generated code uses a rational approximation, |relative error| ≤ 1e-6.</summary>
    Tanh = 3,
    /// <summary>f(z) = 1 / (1 + e^-z).</summary>
    Sigmoid = 4,
    /// <summary>f(z) = ln(1 + e^z).</summary>
    Softplus = 5,
    /// <summary>GELU, tanh form: 0.5·z·(1 + tanh(√(2/π)·(z + 0.044715·z³))) (PyTorch's approximate="tanh").</summary>
    GELU = 6,
    /// <summary>f(z) = z for z &gt; 0, else e^z − 1 (α = 1).</summary>
    ELU = 7,
    /// <summary>Softmax over the layer's units. Output layer only, with <see cref="Loss.SoftmaxCrossEntropy"/>.</summary>
    Softmax = 8,
}

/// <summary>The training objective, computed per sample on the output layer.</summary>
public enum Loss
{
    /// <summary>Mean over outputs of −[t·ln(p) + (1−t)·ln(1−p)]; the output layer must be <see cref="Activation.Sigmoid"/>.</summary>
    BinaryCrossEntropy = 0,
    /// <summary>Mean over outputs of (y − t)².</summary>
    MeanSquaredError = 1,
    /// <summary>−Σ t·ln(softmax(z)); the output layer must be <see cref="Activation.Softmax"/> with at least 2 units.</summary>
    SoftmaxCrossEntropy = 2,
}

/// <summary>How the generator writes a layer's code.</summary>
public enum Unrolling
{
    /// <summary>Unroll layers with at most <see cref="NetworkAttribute.DefaultUnrollLimit"/> weights; loop over larger ones.</summary>
    Auto = 0,
    /// <summary>Unroll every layer, whatever its size (may make very large methods that the JIT compiles slowly).</summary>
    Always = 1,
    /// <summary>Constant-bound loops for every layer.</summary>
    Never = 2,
}
