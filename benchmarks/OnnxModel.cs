using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace HiddenSpace.Benchmarks;

/// <summary>
/// Writes a network's architecture and parameters as an ONNX model (opset 13) for ONNX Runtime: per layer a Gemm
/// node (Y = X·Wᵀ + b, transB = 1, so W keeps the [units × fanIn] row-major layout of the parameters) and the
/// activation node (Relu, Tanh, Sigmoid, Softmax; Linear writes none). Input "x" is [batch × inputs] with a
/// symbolic batch, output "y" [batch × outputs]. A hand-written protobuf encoder of the few ModelProto fields
/// needed (field numbers from onnx.proto), so the benchmarks need no protobuf package.
/// </summary>
public static class OnnxModel
{
    /// <summary>The model bytes for <paramref name="shape"/> holding <paramref name="parameters"/>.</summary>
    public static byte[] Write(NetworkShape shape, ReadOnlySpan<float> parameters)
    {
        var graph = new Proto();
        var nodes = new List<(string Op, string[] Inputs, Proto? Attribute)>();
        string x = "x";
        for (int l = 0; l < shape.Layers.Count; l++)
        {
            int units = shape.Layers[l].Units, fanIn = shape.FanIn(l);
            string w = $"W{l + 1}", b = $"b{l + 1}";
            graph.Message(5, Tensor(w, [units, fanIn], parameters.Slice(shape.WeightOffset(l), units * fanIn))); // initializer
            graph.Message(5, Tensor(b, [units], parameters.Slice(shape.BiasOffset(l), units)));
            nodes.Add(("Gemm", [x, w, b], new Proto().String(1, "transB").Varint(3, 1).Varint(20, 2))); // attribute transB: INT 1
            x = $"z{l + 1}";
            string? op = shape.Layers[l].Activation switch
            {
                Activation.ReLU => "Relu",
                Activation.Tanh => "Tanh",
                Activation.Sigmoid => "Sigmoid",
                Activation.Softmax => "Softmax",
                Activation.Linear => null,
                _ => throw new NotSupportedException($"No ONNX node written for {shape.Layers[l].Activation}."),
            };
            if (op is null) continue;
            nodes.Add((op, [x], null));
            x = $"a{l + 1}";
        }
        for (int n = 0; n < nodes.Count; n++)
        {
            string output = n == nodes.Count - 1 ? "y" : nodes[n + 1].Inputs[0];
            graph.Message(1, Node(nodes[n].Op, nodes[n].Inputs, output, nodes[n].Attribute));
        }
        graph.String(2, "hiddenspace");
        graph.Message(11, ValueInfo("x", shape.Inputs));
        graph.Message(12, ValueInfo("y", shape.Outputs));

        var model = new Proto();
        model.Varint(1, 8);                                         // ir_version
        model.String(2, "HiddenSpace.Gen.Benchmarks");               // producer_name
        model.Message(7, graph);                                    // graph
        model.Message(8, new Proto().String(1, "").Varint(2, 13));  // opset_import: default domain, opset 13
        return model.ToArray();
    }

    private static Proto Node(string op, string[] inputs, string output, Proto? attribute)
    {
        var node = new Proto();
        foreach (string input in inputs) node.String(1, input);
        node.String(2, output);
        node.String(4, op);
        if (attribute is not null) node.Message(5, attribute);
        return node;
    }

    private static Proto Tensor(string name, long[] dims, ReadOnlySpan<float> values)
    {
        var tensor = new Proto();
        foreach (long dim in dims) tensor.Varint(1, (ulong)dim);
        tensor.Varint(2, 1); // FLOAT
        tensor.String(8, name);
        tensor.Bytes(9, MemoryMarshal.AsBytes(values)); // raw_data, little-endian floats
        return tensor;
    }

    private static Proto ValueInfo(string name, int width)
    {
        var shape = new Proto()
            .Message(1, new Proto().String(2, "batch"))                 // dim_param
            .Message(1, new Proto().Varint(1, (ulong)width));           // dim_value
        var tensorType = new Proto().Varint(1, 1).Message(2, shape);    // elem_type FLOAT, shape
        return new Proto().String(1, name).Message(2, new Proto().Message(1, tensorType));
    }

    /// <summary>Protocol-buffer fields appended in order: varints and length-delimited bytes.</summary>
    private sealed class Proto
    {
        private readonly MemoryStream _stream = new();

        public Proto Varint(int field, ulong value)
        {
            WriteVarint((ulong)(field << 3));
            WriteVarint(value);
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
