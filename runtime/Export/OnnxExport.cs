using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using HiddenSpace.Kernels;

namespace HiddenSpace;

/// <summary>
/// Writes a network as an ONNX model (opset 13, IR version 7) for ONNX Runtime, ML.NET or Windows ML: input "x"
/// [batch × inputs] and output "y" [batch × outputs] with a symbolic batch dimension. The input standardisation, when
/// there is one, comes first as Cast to double, Sub, Div and Cast back: the operations <see cref="Standardizer.Apply(ReadOnlySpan{float}, Span{float})"/>
/// uses. Then per layer a Gemm node and the activation's nodes, in one of two forms: <see cref="OnnxForm.Operators"/>
/// uses the ONNX operators of the same names, and the default <see cref="OnnxForm.MatchForward"/> gives the bits of
/// <see cref="IForwardNetwork.Forward"/> wherever ONNX allows, so that the model agrees within 1e-6 even where a sum
/// cancels or a trained network's large weights amplify a difference of a few float steps in one layer:
/// <list type="bullet">
/// <item>Gemm (transB = 1) multiplies [1 | x] (a Pad with a column of ones) by W<sub>l</sub> = [b | W], the bias as the first
/// weight column: ONNX Runtime accumulates each dot product from zero in input order and would add C last, while
/// generated code starts each sum from the bias.</item>
/// <item>Activations are written as the operations <see cref="ActivationKernels"/> computes wherever the ONNX operator of
/// the same name is a different approximation (ONNX Runtime's Tanh and Sigmoid are its own): tanh is our rational function
/// (Clip, then x·P(x²)/Q(x²) by Horner's rule), sigmoid 1 / (1 + Exp(−z)), softplus Relu(z) + Log(1 + Exp(−|z|)), GELU its
/// tanh form around that tanh. ONNX has no fused multiply-add, so each of ours is a Mul and an Add in double, rounded to
/// float once. Relu, LeakyRelu (alpha 0.01), Elu (alpha 1) and Softmax (over the last axis) are the ONNX operators; Linear
/// adds no node.</item>
/// </list>
/// What still differs is the accuracy of Exp and Log (ONNX Runtime's against .NET's, each within an ulp or two) and, in
/// layers wider than ONNX Runtime's GEMM blocks, the order of the sums.
/// <para>
/// The protobuf is written by a small encoder of the few ModelProto fields needed (field numbers from onnx.proto)
/// rather than with Google.Protobuf: the runtime library keeps no package dependency for a few dozen lines, and
/// ONNX Runtime loading every model in the tests checks the encoding.
/// </para>
/// </summary>
public static class OnnxExport
{
    /// <summary>The opset the models import (the default domain).</summary>
    public const int Opset = 13;

    /// <summary>The model for <paramref name="shape"/> holding <paramref name="parameters"/>, with <paramref name="inputStandardizer"/> applied first when given.</summary>
    /// <exception cref="ArgumentException">The parameters or the standardizer do not fit the shape.</exception>
    public static byte[] ToBytes(NetworkShape shape, ReadOnlySpan<float> parameters, Standardizer? inputStandardizer = null, OnnxForm form = OnnxForm.MatchForward)
    {
        ArgumentNullException.ThrowIfNull(shape);
        NetworkArguments.CheckLength(parameters.Length, shape.ParameterCount, nameof(parameters));
        if (inputStandardizer is not null && inputStandardizer.FeatureCount != shape.Inputs)
            throw new ArgumentException($"The standardizer was fitted on {inputStandardizer.FeatureCount} features but the network has {shape.Inputs} inputs.", nameof(inputStandardizer));

        var graph = new Graph();
        string x = "x";
        if (inputStandardizer is not null)
        {
            graph.Initializer(DoubleTensor("means", [shape.Inputs], [.. inputStandardizer.Means]));
            graph.Initializer(DoubleTensor("deviations", [shape.Inputs], [.. inputStandardizer.Deviations]));
            x = graph.Node("Sub", [ToDouble(graph, x), "means"]);
            x = graph.Node("Div", [x, "deviations"]);
            x = graph.Node("Cast", [x], Attribute.Int("to", FloatType));
        }
        for (int l = 0; l < shape.Layers.Count; l++)
            x = Activate(graph, shape.Layers[l].Activation, Dense(graph, shape, l, parameters, x, form), form);
        return graph.Model(x, shape.Inputs, shape.Outputs);
    }

    /// <summary>The model of a network read from a text weights file (<see cref="WeightsFile.ReadText"/>), with its input standardisation.</summary>
    public static byte[] ToBytes(TrainedWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return ToBytes(weights.Shape, weights.Parameters, weights.Metadata.InputStandardizer);
    }

    /// <summary>Writes the model of a network read from a text weights file (with its input standardisation) to <paramref name="path"/>, atomically.</summary>
    /// <exception cref="IOException">The file cannot be written; the previous file, if any, is unchanged.</exception>
    public static void Save(string path, TrainedWeights weights)
    {
        byte[] model = ToBytes(weights);
        AtomicFile.Write(path, stream => stream.Write(model));
    }

    /// <summary>The Gemm of layer <paramref name="layer"/> on the value <paramref name="x"/>; returns the pre-activation's value name.</summary>
    private static string Dense(Graph graph, NetworkShape shape, int layer, ReadOnlySpan<float> parameters, string x, OnnxForm form)
    {
        int units = shape.Layers[layer].Units, fanIn = shape.FanIn(layer);
        string w = $"W{layer + 1}";
        if (form == OnnxForm.Operators)
        {
            string b = $"b{layer + 1}";
            graph.Initializer(FloatTensor(w, [units, fanIn], parameters.Slice(shape.WeightOffset(layer), units * fanIn)));
            graph.Initializer(FloatTensor(b, [units], parameters.Slice(shape.BiasOffset(layer), units)));
            return graph.Node("Gemm", [x, w, b], Attribute.Int("transB", 1));
        }
        graph.Initializer(FloatTensor(w, [units, fanIn + 1], BiasFirst(shape, layer, parameters)));
        string pads = graph.Int64Constant("bias_column", [0, 1, 0, 0]); // begin and end counts for [batch, features]
        string ones = graph.Node("Pad", [x, pads, graph.Constant("one", 1f)]);
        return graph.Node("Gemm", [ones, w], Attribute.Int("transB", 1));
    }

    /// <summary>Layer <paramref name="layer"/>'s weights and biases as one [units × (1 + fan-in)] matrix, row u = [b[u], W[u, 0], W[u, 1], ...].</summary>
    private static float[] BiasFirst(NetworkShape shape, int layer, ReadOnlySpan<float> parameters)
    {
        int units = shape.Layers[layer].Units, fanIn = shape.FanIn(layer);
        var matrix = new float[units * (fanIn + 1)];
        for (int u = 0; u < units; u++)
        {
            matrix[u * (fanIn + 1)] = parameters[shape.BiasOffset(layer) + u];
            parameters.Slice(shape.WeightOffset(layer) + u * fanIn, fanIn).CopyTo(matrix.AsSpan(u * (fanIn + 1) + 1));
        }
        return matrix;
    }

    /// <summary>The nodes of <paramref name="activation"/> applied to the value <paramref name="z"/>; returns the activation's value name.</summary>
    private static string Activate(Graph graph, Activation activation, string z, OnnxForm form) => (activation, form) switch
    {
        (Activation.Tanh, OnnxForm.Operators) => graph.Node("Tanh", [z]),
        (Activation.Sigmoid, OnnxForm.Operators) => graph.Node("Sigmoid", [z]),
        (Activation.Softplus, OnnxForm.Operators) => graph.Node("Softplus", [z]),
        _ => activation switch
        {
            Activation.Linear => z,
            Activation.ReLU => graph.Node("Relu", [z]),
            Activation.LeakyReLU => graph.Node("LeakyRelu", [z], Attribute.Float("alpha", ActivationKernels.LeakySlope)),
            Activation.ELU => graph.Node("Elu", [z], Attribute.Float("alpha", 1f)),
            Activation.Softmax => graph.Node("Softmax", [z], Attribute.Int("axis", -1)),
            Activation.Tanh => Tanh(graph, z),
            Activation.Sigmoid => Sigmoid(graph, z),
            Activation.Softplus => Softplus(graph, z),
            Activation.GELU => Gelu(graph, z, form),
            _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "The activation has no ONNX form."),
        },
    };

    /// <summary><see cref="ActivationKernels.Tanh(float)"/>: x clamped to ±c, then x·(P(x²)/Q(x²)).</summary>
    private static string Tanh(Graph graph, string z)
    {
        string x = graph.Node("Clip", [z, graph.Constant("tanh_min", -ActivationKernels.TanhClamp), graph.Constant("tanh_max", ActivationKernels.TanhClamp)]);
        string x2 = ToDouble(graph, graph.Node("Mul", [x, x]));
        // P is monic: its first step x²·1 + p3, rounded once, is the kernel's addition x² + p3.
        string p = Horner(graph, x2, "tanh_p",
            [1f, ActivationKernels.TanhP3, ActivationKernels.TanhP2, ActivationKernels.TanhP1, ActivationKernels.TanhConstant]);
        string q = Horner(graph, x2, "tanh_q",
            [ActivationKernels.TanhQ3, ActivationKernels.TanhQ2, ActivationKernels.TanhQ1, ActivationKernels.TanhConstant]);
        return graph.Node("Mul", [graph.Node("Div", [p, q]), x]);
    }

    /// <summary>
    /// The polynomial with <paramref name="coefficients"/> (highest power first) at the double value <paramref name="t"/>
    /// by Horner's rule, one fused multiply-add a step as ActivationKernels.Tanh evaluates it; a float value. The
    /// coefficient of t^k is named name + k.
    /// </summary>
    private static string Horner(Graph graph, string t, string name, float[] coefficients)
    {
        int degree = coefficients.Length - 1;
        string sum = graph.DoubleConstant($"{name}{degree}", coefficients[0]);
        for (int i = 1; i <= degree; i++)
        {
            string step = FusedMultiplyAdd(graph, t, sum, graph.DoubleConstant($"{name}{degree - i}", coefficients[i]));
            sum = i < degree ? ToDouble(graph, step) : step;
        }
        return sum;
    }

    /// <summary>
    /// The float fused multiply-add a·b + c of three double values holding floats. ONNX has no such operator, so the sum
    /// is taken in double, where the product of two floats is exact, and rounded to float: the fused result's bits,
    /// except in the rare case where rounding twice (to double, then to float) differs from rounding once.
    /// </summary>
    private static string FusedMultiplyAdd(Graph graph, string a, string b, string c) =>
        graph.Node("Cast", [graph.Node("Add", [graph.Node("Mul", [a, b]), c])], Attribute.Int("to", FloatType));

    private static string ToDouble(Graph graph, string value) => graph.Node("Cast", [value], Attribute.Int("to", DoubleType));

    /// <summary><see cref="ActivationKernels.Sigmoid(float)"/>: 1 / (1 + e^−z).</summary>
    private static string Sigmoid(Graph graph, string z) =>
        graph.Node("Div", [graph.Constant("one", 1f), graph.Node("Add", [graph.Constant("one", 1f), graph.Node("Exp", [graph.Node("Neg", [z])])])]);

    /// <summary><see cref="ActivationKernels.Softplus(float)"/>: max(z, 0) + ln(1 + e^−|z|).</summary>
    private static string Softplus(Graph graph, string z)
    {
        string tail = graph.Node("Log", [graph.Node("Add", [graph.Constant("one", 1f), graph.Node("Exp", [graph.Node("Neg", [graph.Node("Abs", [z])])])])]);
        return graph.Node("Add", [graph.Node("Relu", [z]), tail]);
    }

    /// <summary><see cref="ActivationKernels.GELU(float)"/>: 0.5·z·(1 + tanh(√(2/π)·fma((0.044715·z)·z, z, z))).</summary>
    private static string Gelu(Graph graph, string z, OnnxForm form)
    {
        string cubic = graph.Node("Mul", [graph.Node("Mul", [graph.Constant("gelu_cubic", ActivationKernels.GeluCubic), z]), z]);
        string zDouble = ToDouble(graph, z);
        string inner = graph.Node("Mul", [graph.Constant("gelu_scale", ActivationKernels.GeluScale), FusedMultiplyAdd(graph, ToDouble(graph, cubic), zDouble, zDouble)]);
        string half = graph.Node("Mul", [graph.Constant("half", 0.5f), z]);
        string tanh = Activate(graph, Activation.Tanh, inner, form);
        return graph.Node("Mul", [half, graph.Node("Add", [graph.Constant("one", 1f), tanh])]);
    }

    private const int FloatType = 1, Int64Type = 7, DoubleType = 11; // TensorProto.DataType

    private static Proto FloatTensor(string name, long[] dims, ReadOnlySpan<float> values) => Tensor(name, dims, FloatType, MemoryMarshal.AsBytes(values));

    private static Proto Int64Tensor(string name, long[] dims, ReadOnlySpan<long> values) => Tensor(name, dims, Int64Type, MemoryMarshal.AsBytes(values));

    private static Proto DoubleTensor(string name, long[] dims, ReadOnlySpan<double> values) => Tensor(name, dims, DoubleType, MemoryMarshal.AsBytes(values));

    private static Proto Tensor(string name, long[] dims, int type, ReadOnlySpan<byte> rawData)
    {
        var tensor = new Proto();
        foreach (long dim in dims) tensor.Varint(1, (ulong)dim);
        tensor.Varint(2, (ulong)type);
        tensor.String(8, name);
        tensor.Bytes(9, rawData); // raw_data, little-endian (as ONNX requires)
        return tensor;
    }

    /// <summary>An AttributeProto: a name and one INT or FLOAT value.</summary>
    private static class Attribute
    {
        public static Proto Int(string name, long value) => new Proto().String(1, name).Varint(3, unchecked((ulong)value)).Varint(20, 2);

        public static Proto Float(string name, float value) => new Proto().String(1, name).Fixed32(2, value).Varint(20, 1);
    }

    /// <summary>A GraphProto being built: nodes in order, each writing a fresh value name, and the initializers.</summary>
    private sealed class Graph
    {
        private readonly Proto _graph = new();
        private readonly HashSet<string> _constants = [];
        private int _values;

        public void Initializer(Proto tensor) => _graph.Message(5, tensor);

        /// <summary>A float scalar initializer named <paramref name="name"/>, added the first time the name is used; returns the name.</summary>
        public string Constant(string name, float value)
        {
            if (_constants.Add(name)) Initializer(FloatTensor(name, [], [value]));
            return name;
        }

        /// <summary>An int64 vector initializer, added the first time the name is used; returns the name.</summary>
        public string Int64Constant(string name, long[] values)
        {
            if (_constants.Add(name)) Initializer(Int64Tensor(name, [values.Length], values));
            return name;
        }

        /// <summary>The same as a double scalar.</summary>
        public string DoubleConstant(string name, double value)
        {
            if (_constants.Add(name)) Initializer(DoubleTensor(name, [], [value]));
            return name;
        }

        /// <summary>Adds a node and returns the name of its output.</summary>
        public string Node(string op, string[] inputs, Proto? attribute = null, string? output = null)
        {
            output ??= $"v{++_values}";
            var node = new Proto();
            foreach (string input in inputs) node.String(1, input);
            node.String(2, output);
            node.String(4, op);
            if (attribute is not null) node.Message(5, attribute);
            _graph.Message(1, node);
            return output;
        }

        /// <summary>The ModelProto, the value <paramref name="last"/> named "y" by an Identity node (which runtimes remove).</summary>
        public byte[] Model(string last, int inputs, int outputs)
        {
            Node("Identity", [last], output: "y");
            _graph.String(2, "hiddenspace");
            _graph.Message(11, ValueInfo("x", inputs));
            _graph.Message(12, ValueInfo("y", outputs));
            var model = new Proto();
            model.Varint(1, 7);                                              // ir_version (opset 13 goes with IR 7)
            model.String(2, "HiddenSpace.Gen");                              // producer_name
            model.Message(7, _graph);                                        // graph
            model.Message(8, new Proto().String(1, "").Varint(2, Opset));    // opset_import: the default domain
            return model.ToArray();
        }

        private static Proto ValueInfo(string name, int width)
        {
            var shape = new Proto()
                .Message(1, new Proto().String(2, "batch"))                 // dim_param
                .Message(1, new Proto().Varint(1, (ulong)width));           // dim_value
            var tensorType = new Proto().Varint(1, FloatType).Message(2, shape);
            return new Proto().String(1, name).Message(2, new Proto().Message(1, tensorType));
        }
    }

    /// <summary>Protocol-buffer fields appended in order: varints, fixed 32-bit floats and length-delimited bytes.</summary>
    private sealed class Proto
    {
        private readonly MemoryStream _stream = new();

        public Proto Varint(int field, ulong value)
        {
            WriteVarint((ulong)(field << 3));
            WriteVarint(value);
            return this;
        }

        public Proto Fixed32(int field, float value)
        {
            WriteVarint((ulong)(field << 3 | 5));
            Span<byte> bytes = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
            _stream.Write(bytes);
            return this;
        }

        public Proto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public Proto Message(int field, Proto message) => Bytes(field, message.ToArray());

        public Proto Bytes(int field, ReadOnlySpan<byte> value)
        {
            WriteVarint((ulong)(field << 3 | 2));
            WriteVarint((ulong)value.Length);
            _stream.Write(value);
            return this;
        }

        public byte[] ToArray() => _stream.ToArray();

        private void WriteVarint(ulong value)
        {
            while (value >= 0x80)
            {
                _stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            _stream.WriteByte((byte)value);
        }
    }
}

/// <summary>How <see cref="OnnxExport"/> writes a network's layers.</summary>
public enum OnnxForm
{
    /// <summary>
    /// The operations generated code performs: each sum starting from the bias, our tanh, sigmoid, softplus and GELU written
    /// out. Agrees with <see cref="IForwardNetwork.Forward"/> within 1e-6 of each row's largest output (the tests' bound).
    /// </summary>
    MatchForward,

    /// <summary>
    /// The plain ONNX operators: Gemm with the bias as C, Tanh, Sigmoid, Softplus, GELU's tanh form around Tanh. Fewer nodes
    /// and faster in ONNX Runtime, which then uses its own approximations: outputs agree with Forward to about 1e-5.
    /// </summary>
    Operators,
}
