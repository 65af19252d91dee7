using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace HiddenSpace;

/// <summary>
/// Writes a network as an ONNX model (opset 13, IR version 7) for ONNX Runtime, ML.NET or Windows ML: input "x"
/// [batch × inputs] and output "y" [batch × outputs] with a symbolic batch dimension. The input standardisation, when
/// there is one, comes first as Cast to double, Sub, Div and Cast back: the operations <see cref="Standardizer.Apply(ReadOnlySpan{float}, Span{float})"/>
/// uses. Then per layer a Gemm node (Y = X·Wᵀ + b, transB = 1, so W keeps its [units × fan-in] row-major layout) and
/// the activation: Relu, LeakyRelu (alpha 0.01), Tanh, Sigmoid, Softplus, Elu (alpha 1), Softmax (over the last axis),
/// and GELU's tanh form written out with Mul, Add and Tanh (opset 13 has no Gelu); Linear adds no node.
/// The protobuf is written by a small encoder of the few ModelProto fields needed (field numbers from onnx.proto):
/// no package dependency for a few dozen lines, and ONNX Runtime loading every model in the tests is its check.
/// ONNX Runtime's activation functions are its own, so its outputs agree with <see cref="IForwardNetwork.Forward"/>
/// to float rounding, not bit for bit.
/// </summary>
public static class OnnxExport
{
    /// <summary>The opset the models import (the default domain).</summary>
    public const int Opset = 13;

    /// <summary>The model for <paramref name="shape"/> holding <paramref name="parameters"/>, with <paramref name="inputStandardizer"/> applied first when given.</summary>
    /// <exception cref="ArgumentException">The parameters or the standardizer do not fit the shape.</exception>
    public static byte[] ToBytes(NetworkShape shape, ReadOnlySpan<float> parameters, Standardizer? inputStandardizer = null)
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
            x = graph.Node("Cast", [x], Attribute.Int("to", DoubleType));
            x = graph.Node("Sub", [x, "means"]);
            x = graph.Node("Div", [x, "deviations"]);
            x = graph.Node("Cast", [x], Attribute.Int("to", FloatType));
        }
        bool gelu = false;
        for (int l = 0; l < shape.Layers.Count; l++)
        {
            int units = shape.Layers[l].Units, fanIn = shape.FanIn(l);
            string w = $"W{l + 1}", b = $"b{l + 1}";
            graph.Initializer(FloatTensor(w, [units, fanIn], parameters.Slice(shape.WeightOffset(l), units * fanIn)));
            graph.Initializer(FloatTensor(b, [units], parameters.Slice(shape.BiasOffset(l), units)));
            x = graph.Node("Gemm", [x, w, b], Attribute.Int("transB", 1));
            switch (shape.Layers[l].Activation)
            {
                case Activation.ReLU: x = graph.Node("Relu", [x]); break;
                case Activation.LeakyReLU: x = graph.Node("LeakyRelu", [x], Attribute.Float("alpha", 0.01f)); break;
                case Activation.Tanh: x = graph.Node("Tanh", [x]); break;
                case Activation.Sigmoid: x = graph.Node("Sigmoid", [x]); break;
                case Activation.Softplus: x = graph.Node("Softplus", [x]); break;
                case Activation.ELU: x = graph.Node("Elu", [x], Attribute.Float("alpha", 1f)); break;
                case Activation.Softmax: x = graph.Node("Softmax", [x], Attribute.Int("axis", -1)); break;
                case Activation.GELU:
                    gelu = true;
                    // 0.5·z·(1 + tanh(√(2/π)·(z + 0.044715·z³)))
                    string cube = graph.Node("Mul", [graph.Node("Mul", [x, x]), x]);
                    string inner = graph.Node("Add", [x, graph.Node("Mul", [cube, "gelu_cubic"])]);
                    string tanh = graph.Node("Tanh", [graph.Node("Mul", [inner, "gelu_scale"])]);
                    x = graph.Node("Mul", [graph.Node("Mul", [x, "gelu_half"]), graph.Node("Add", [tanh, "gelu_one"])]);
                    break;
            }
        }
        if (gelu)
        {
            graph.Initializer(FloatTensor("gelu_cubic", [], [0.044715f]));
            graph.Initializer(FloatTensor("gelu_scale", [], [0.7978845608028654f]));
            graph.Initializer(FloatTensor("gelu_half", [], [0.5f]));
            graph.Initializer(FloatTensor("gelu_one", [], [1f]));
        }
        return graph.Model(x, shape.Inputs, shape.Outputs);
    }

    /// <summary>Writes the model of a network read from a text weights file (with its input standardisation) to <paramref name="path"/>, atomically.</summary>
    /// <exception cref="IOException">The file cannot be written; the previous file, if any, is unchanged.</exception>
    public static void Save(string path, TrainedWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        byte[] model = ToBytes(weights.Shape, weights.Parameters, weights.Metadata.InputStandardizer);
        AtomicFile.Write(path, stream => stream.Write(model));
    }

    private const int FloatType = 1, DoubleType = 11; // TensorProto.DataType

    private static Proto FloatTensor(string name, long[] dims, ReadOnlySpan<float> values) => Tensor(name, dims, FloatType, MemoryMarshal.AsBytes(values));

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
        private int _values;

        public void Initializer(Proto tensor) => _graph.Message(5, tensor);

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
