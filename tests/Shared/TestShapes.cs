using System;
using System.Collections.Generic;

namespace HiddenSpace.Tests;

/// <summary>Architectures several test projects use.</summary>
internal static class TestShapes
{
    /// <summary>2-3-1: the smallest network a weights file is written for.</summary>
    public static readonly NetworkShape Small = new(2, Loss.BinaryCrossEntropy, new LayerShape(3, Activation.Tanh), new LayerShape(1, Activation.Sigmoid));

    /// <summary>The architectures baked, exported as C# and exported to ONNX: every activation, loss and code form (the unrolling given as a [Network] argument).</summary>
    public static readonly Dictionary<string, (NetworkShape Shape, string Unrolling)> Baked = new()
    {
        ["seed"] = (new(2, Loss.BinaryCrossEntropy, new(16, Activation.Tanh), new(16, Activation.Tanh), new(2, Activation.Tanh, "Bottleneck"), new(1, Activation.Sigmoid)), ""),
        ["every activation"] = (new(3, Loss.MeanSquaredError, new(5, Activation.ReLU), new(7, Activation.LeakyReLU), new(4, Activation.Softplus),
            new(9, Activation.GELU, "Middle"), new(6, Activation.ELU), new(3, Activation.Linear), new(2, Activation.Sigmoid)), ""),
        ["softmax"] = (new(5, Loss.SoftmaxCrossEntropy, new(10, Activation.Tanh), new(3, Activation.Softmax)), ""),
        ["looped"] = (new(40, Loss.SoftmaxCrossEntropy, new(20, Activation.GELU, "Wide"), new(8, Activation.Linear), new(4, Activation.Softmax)), ""),
        ["never unrolled"] = (new(3, Loss.BinaryCrossEntropy, new(6, Activation.ELU), new(1, Activation.Sigmoid)), "Unrolling.Never"),
        ["always unrolled"] = (new(30, Loss.MeanSquaredError, new(33, Activation.Softplus), new(1, Activation.Linear)), "Unrolling.Always"),
        ["regression, raw inputs"] = (new(2, Loss.MeanSquaredError, new(13, Activation.ReLU), new(1, Activation.Linear)), ""),
    };

    /// <summary>The shape's declaration as class <paramref name="className"/>, with more [Network] arguments.</summary>
    public static string Declare(NetworkShape shape, string className, string arguments)
    {
        string declaration = shape.ToDeclaration(className);
        return arguments.Length == 0 ? declaration : declaration.Insert(declaration.IndexOf(")]\n", StringComparison.Ordinal), ", " + arguments);
    }
}
