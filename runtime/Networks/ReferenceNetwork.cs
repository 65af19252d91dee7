using System;
using System.Numerics;

namespace HiddenSpace;

/// <summary>
/// The plain implementation: nested loops over an architecture known only at run time, in any IEEE
/// floating-point type, with the exact library functions (<c>T.Tanh</c>, <c>T.Exp</c>). It is the oracle
/// generated code is tested against (in double it is itself checked by finite differences), and the
/// run-time path for architectures that were not declared at build time.
/// Same parameter layout and initialisation as generated networks, so parameters can be copied across.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public class ReferenceNetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _parameters;
    private readonly T[] _gradients;
    private readonly T[][] _z; // pre-activations per layer, [units]
    private readonly T[][] _a; // activations per layer, [units]
    private readonly T[][] _d; // dLoss/da, then dLoss/dz, per layer, [units]
    private readonly T[] _input;

    /// <summary>A network of <paramref name="shape"/> initialised like a generated one from <paramref name="seed"/>.</summary>
    public ReferenceNetwork(NetworkShape shape, int seed) : this(shape, InitialParameters(shape, seed))
    {
    }

    /// <summary>A network of <paramref name="shape"/> that uses <paramref name="sharedParameters"/> as its parameter storage.</summary>
    protected ReferenceNetwork(NetworkShape shape, T[] sharedParameters)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(sharedParameters);
        NetworkArguments.CheckLength(sharedParameters.Length, shape.ParameterCount, nameof(sharedParameters));
        Shape = shape;
        _parameters = sharedParameters;
        _gradients = new T[shape.ParameterCount];
        _input = new T[shape.Inputs];
        int layers = shape.Layers.Count;
        _z = new T[layers][];
        _a = new T[layers][];
        _d = new T[layers][];
        for (int l = 0; l < layers; l++)
        {
            _z[l] = new T[shape.Layers[l].Units];
            _a[l] = new T[shape.Layers[l].Units];
            _d[l] = new T[shape.Layers[l].Units];
        }
    }

    /// <summary>The architecture.</summary>
    public NetworkShape Shape { get; }

    /// <summary>The parameter array itself, for workers that share it.</summary>
    protected T[] ParameterStorage => _parameters;

    private static T[] InitialParameters(NetworkShape shape, int seed)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var initial = new float[shape.ParameterCount];
        ParameterInitializer.Initialize(shape, initial, seed);
        var parameters = new T[shape.ParameterCount];
        for (int i = 0; i < initial.Length; i++) parameters[i] = T.CreateChecked(initial[i]);
        return parameters;
    }

    /// <summary>Weights and biases in the layout <see cref="NetworkShape"/> documents.</summary>
    public Span<T> Parameters => _parameters;

    /// <summary>Accumulated gradients, same layout.</summary>
    public Span<T> Gradients => _gradients;

    /// <summary>Outputs for one sample.</summary>
    public void Forward(ReadOnlySpan<T> input, Span<T> output)
    {
        NetworkArguments.CheckLength(input.Length, Shape.Inputs, nameof(input));
        NetworkArguments.CheckLength(output.Length, Shape.Outputs, nameof(output));
        RunForward(input);
        _a[^1].CopyTo(output);
    }

    /// <summary>The loss of one sample, without touching the gradients.</summary>
    public T Loss(ReadOnlySpan<T> input, ReadOnlySpan<T> target)
    {
        NetworkArguments.CheckLength(input.Length, Shape.Inputs, nameof(input));
        NetworkArguments.CheckLength(target.Length, Shape.Outputs, nameof(target));
        RunForward(input);
        return LossAndOutputGradient(target);
    }

    /// <summary>Forward and backward for one sample; adds the gradient into <see cref="Gradients"/>; returns the loss.</summary>
    public T AccumulateGradients(ReadOnlySpan<T> input, ReadOnlySpan<T> target)
    {
        NetworkArguments.CheckLength(input.Length, Shape.Inputs, nameof(input));
        NetworkArguments.CheckLength(target.Length, Shape.Outputs, nameof(target));
        RunForward(input);
        T loss = LossAndOutputGradient(target);
        RunBackward();
        return loss;
    }

    /// <summary><see cref="Forward"/> for each row of a row-major batch.</summary>
    public void ForwardBatch(ReadOnlySpan<T> inputs, Span<T> outputs)
    {
        int rows = NetworkArguments.BatchRows(inputs.Length, outputs.Length, Shape.Inputs, Shape.Outputs, "output");
        for (int r = 0; r < rows; r++)
            Forward(inputs.Slice(r * Shape.Inputs, Shape.Inputs), outputs.Slice(r * Shape.Outputs, Shape.Outputs));
    }

    /// <summary>
    /// Sum of <see cref="AccumulateGradients"/> over the rows of a mini-batch; a non-empty <paramref name="outputs"/>
    /// receives each row's outputs (see <see cref="INetwork.AccumulateBatchGradients"/>).
    /// </summary>
    public T AccumulateBatchGradients(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> outputs = default)
    {
        int rows = NetworkArguments.BatchRows(inputs.Length, targets.Length, Shape.Inputs, Shape.Outputs);
        NetworkArguments.CheckBatchOutputs(outputs.Length, rows, Shape.Outputs);
        T loss = T.Zero;
        for (int r = 0; r < rows; r++)
        {
            loss += AccumulateGradients(inputs.Slice(r * Shape.Inputs, Shape.Inputs), targets.Slice(r * Shape.Outputs, Shape.Outputs));
            if (!outputs.IsEmpty) _a[^1].CopyTo(outputs.Slice(r * Shape.Outputs, Shape.Outputs));
        }
        return loss;
    }

    /// <summary>Activations of tap <paramref name="tapIndex"/> from the last forward pass.</summary>
    public ReadOnlySpan<T> TapActivations(int tapIndex)
    {
        NetworkArguments.CheckTap(tapIndex, Shape.Taps.Count);
        return _a[Shape.Taps[tapIndex].LayerIndex];
    }

    private void RunForward(ReadOnlySpan<T> input)
    {
        input.CopyTo(_input);
        ReadOnlySpan<T> x = _input;
        for (int l = 0; l < Shape.Layers.Count; l++)
        {
            int units = Shape.Layers[l].Units, fanIn = Shape.FanIn(l);
            int w = Shape.WeightOffset(l), b = Shape.BiasOffset(l);
            T[] z = _z[l];
            for (int o = 0; o < units; o++)
            {
                T sum = _parameters[b + o];
                for (int i = 0; i < fanIn; i++) sum += _parameters[w + o * fanIn + i] * x[i];
                z[o] = sum;
            }
            Activate(Shape.Layers[l].Activation, z, _a[l]);
            x = _a[l];
        }
    }

    private T LossAndOutputGradient(ReadOnlySpan<T> target)
    {
        int last = Shape.Layers.Count - 1;
        T[] z = _z[last], a = _a[last], d = _d[last];
        T count = T.CreateChecked(z.Length);
        T loss = T.Zero;
        switch (Shape.Loss)
        {
            case HiddenSpace.Loss.BinaryCrossEntropy:
                for (int j = 0; j < z.Length; j++)
                {
                    // −[t ln σ(z) + (1−t) ln(1−σ(z))] = softplus(z) − t z; d/dz = σ(z) − t.
                    loss += Softplus(z[j]) - target[j] * z[j];
                    d[j] = (a[j] - target[j]) / count;
                }
                return loss / count;
            case HiddenSpace.Loss.SoftmaxCrossEntropy:
                T max = T.NegativeInfinity;
                foreach (T value in z) max = T.Max(max, value);
                T sum = T.Zero;
                foreach (T value in z) sum += T.Exp(value - max);
                T logSumExp = max + T.Log(sum);
                for (int j = 0; j < z.Length; j++)
                {
                    loss += target[j] * (logSumExp - z[j]);
                    d[j] = a[j] - target[j];
                }
                return loss;
            default:
                T two = T.CreateChecked(2);
                for (int j = 0; j < z.Length; j++)
                {
                    T error = a[j] - target[j];
                    loss += error * error;
                    d[j] = two * error / count;
                }
                Derivative(Shape.Layers[last].Activation, z, a, d);
                return loss / count;
        }
    }

    private void RunBackward()
    {
        for (int l = Shape.Layers.Count - 1; l >= 0; l--)
        {
            int units = Shape.Layers[l].Units, fanIn = Shape.FanIn(l);
            int w = Shape.WeightOffset(l), b = Shape.BiasOffset(l);
            T[] dz = _d[l];
            ReadOnlySpan<T> x = l == 0 ? _input : _a[l - 1];
            for (int o = 0; o < units; o++)
            {
                _gradients[b + o] += dz[o];
                for (int i = 0; i < fanIn; i++) _gradients[w + o * fanIn + i] += dz[o] * x[i];
            }
            if (l == 0) break;
            T[] dPrevious = _d[l - 1];
            for (int i = 0; i < fanIn; i++)
            {
                T sum = T.Zero;
                for (int o = 0; o < units; o++) sum += _parameters[w + o * fanIn + i] * dz[o];
                dPrevious[i] = sum;
            }
            Derivative(Shape.Layers[l - 1].Activation, _z[l - 1], _a[l - 1], dPrevious);
        }
    }

    private static readonly T LeakySlope = T.CreateChecked(0.01);
    private static readonly T Half = T.CreateChecked(0.5);
    private static readonly T GeluScale = T.Sqrt(T.CreateChecked(2) / T.Pi);
    private static readonly T GeluCubic = T.CreateChecked(0.044715);

    private static T Softplus(T z) => T.Max(z, T.Zero) + T.Log(T.One + T.Exp(-T.Abs(z)));

    private static T Sigmoid(T z) => T.One / (T.One + T.Exp(-z));

    private static void Activate(Activation activation, T[] z, T[] a)
    {
        if (activation == Activation.Softmax)
        {
            T max = T.NegativeInfinity;
            foreach (T value in z) max = T.Max(max, value);
            T sum = T.Zero;
            for (int j = 0; j < z.Length; j++) sum += a[j] = T.Exp(z[j] - max);
            for (int j = 0; j < z.Length; j++) a[j] /= sum;
            return;
        }
        for (int j = 0; j < z.Length; j++)
        {
            T x = z[j];
            a[j] = activation switch
            {
                Activation.Linear => x,
                Activation.ReLU => x > T.Zero ? x : T.Zero,
                Activation.LeakyReLU => x > T.Zero ? x : LeakySlope * x,
                Activation.Tanh => T.Tanh(x),
                Activation.Sigmoid => Sigmoid(x),
                Activation.Softplus => Softplus(x),
                Activation.GELU => Half * x * (T.One + T.Tanh(GeluScale * (x + GeluCubic * x * x * x))),
                Activation.ELU => x > T.Zero ? x : T.Exp(x) - T.One,
                _ => throw new InvalidOperationException($"Unknown activation {activation}."),
            };
        }
    }

    /// <summary>d ← d·f'(z) element-wise (Softmax is only ever folded into its loss).</summary>
    private static void Derivative(Activation activation, T[] z, T[] a, T[] d)
    {
        for (int j = 0; j < d.Length; j++)
        {
            T x = z[j];
            T slope = activation switch
            {
                Activation.Linear => T.One,
                Activation.ReLU => x > T.Zero ? T.One : T.Zero,
                Activation.LeakyReLU => x > T.Zero ? T.One : LeakySlope,
                Activation.Tanh => T.One - a[j] * a[j],
                Activation.Sigmoid => a[j] * (T.One - a[j]),
                Activation.Softplus => Sigmoid(x),
                Activation.GELU => GeluSlope(x),
                Activation.ELU => x > T.Zero ? T.One : a[j] + T.One,
                _ => throw new InvalidOperationException($"{activation} has no element-wise derivative here."),
            };
            d[j] *= slope;
        }
    }

    private static T GeluSlope(T x)
    {
        T t = T.Tanh(GeluScale * (x + GeluCubic * x * x * x));
        T dInner = GeluScale * (T.One + T.CreateChecked(3) * GeluCubic * x * x);
        return Half * (T.One + t) + Half * x * (T.One - t * t) * dInner;
    }
}

/// <summary>The float reference network, usable wherever an <see cref="INetwork"/> is.</summary>
public sealed class ReferenceNetwork : ReferenceNetwork<float>, INetwork
{
    /// <summary>A network of <paramref name="shape"/> initialised from <paramref name="seed"/>.</summary>
    public ReferenceNetwork(NetworkShape shape, int seed) : base(shape, seed) { }

    private ReferenceNetwork(NetworkShape shape, float[] sharedParameters) : base(shape, sharedParameters) { }

    /// <inheritdoc/>
    public INetwork CreateWorker() => new ReferenceNetwork(Shape, ParameterStorage);
}
