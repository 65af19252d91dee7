using System;
using HiddenSpace.Tests.Generated;
using Xunit;

namespace HiddenSpace.Tests.Generated;

/// <summary>The checked public API of every network: wrong span lengths name the parameter and both lengths.</summary>
public class ArgumentTests
{
    public static TheoryData<string> Networks => new() { "generated", "reference" };

    private static INetwork Create(string kind) => kind == "generated" ? new SeedNet(seed: 1) : new ReferenceNetwork(SeedNet.Architecture, seed: 1);

    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardRejectsWrongInputLength(string kind)
    {
        var exception = Assert.Throws<ArgumentException>(() => Create(kind).Forward(new float[3], new float[1]));
        Assert.Equal("input", exception.ParamName);
        Assert.StartsWith("Expected 2 values but the span holds 3.", exception.Message);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardRejectsWrongOutputLength(string kind)
    {
        var exception = Assert.Throws<ArgumentException>(() => Create(kind).Forward(new float[2], new float[2]));
        Assert.Equal("output", exception.ParamName);
        Assert.StartsWith("Expected 1 values but the span holds 2.", exception.Message);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void AccumulateGradientsRejectsWrongTargetLength(string kind)
    {
        var exception = Assert.Throws<ArgumentException>(() => Create(kind).AccumulateGradients(new float[2], new float[0]));
        Assert.Equal("target", exception.ParamName);
        Assert.StartsWith("Expected 1 values but the span holds 0.", exception.Message);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void BatchRejectsRaggedRows(string kind)
    {
        INetwork network = Create(kind);
        var exception = Assert.Throws<ArgumentException>(() => network.AccumulateBatchGradients(new float[5], new float[2]));
        Assert.Equal("inputs", exception.ParamName);
        Assert.StartsWith("A batch of 5 input values and 2 target values is not a whole number of rows of 2 inputs and 1 targets.", exception.Message);
        Assert.All(network.Gradients.ToArray(), g => Assert.Equal(0f, g)); // nothing accumulated
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void BatchRejectsOutputsOfAnotherRowCount(string kind)
    {
        INetwork network = Create(kind);
        var exception = Assert.Throws<ArgumentException>(() => network.AccumulateBatchGradients(new float[4], new float[2], new float[3]));
        Assert.Equal("outputs", exception.ParamName);
        Assert.StartsWith("A batch of 2 rows has 2 output values (1 a row) but the outputs span holds 3; pass an empty span for none.", exception.Message);
        Assert.All(network.Gradients.ToArray(), g => Assert.Equal(0f, g)); // nothing accumulated
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void ForwardBatchRejectsRaggedRows(string kind)
    {
        var outputs = new float[3];
        var exception = Assert.Throws<ArgumentException>(() => Create(kind).ForwardBatch(new float[4], outputs));
        Assert.Equal("inputs", exception.ParamName);
        Assert.StartsWith("A batch of 4 input values and 3 output values is not a whole number of rows of 2 inputs and 1 outputs.", exception.Message);
        Assert.Equal(new float[3], outputs); // nothing written
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void TapIndexOutOfRangeIsRejected(string kind)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Create(kind).TapActivations(-1));
        Assert.Equal("tapIndex", exception.ParamName);
    }

    [Fact]
    public void NonFiniteFeaturesAreRejectedWithRowAndColumn()
    {
        var exception = Assert.Throws<ArgumentException>(() => Dataset.ForClassification("d", 2, [0f, 1f, float.NaN, 2f], [0, 1], 2));
        Assert.Contains("row 1, column 0", exception.Message);
    }

    [Fact]
    public void LabelsOutOfRangeAreRejectedWithTheRow()
    {
        var exception = Assert.Throws<ArgumentException>(() => Dataset.ForClassification("d", 1, [0f, 1f], [0, 2], 2));
        Assert.Contains("Label at row 1 is 2", exception.Message);
    }

    [Fact]
    public void AnEmptyTrainingSetIsRejected()
    {
        Dataset empty = Dataset.ForClassification("empty", 2, [], [], 2);
        var exception = Assert.Throws<ArgumentException>(() => Trainer.Train(new SeedNet(1), empty, null, new TrainingOptions(Epochs: 1)));
        Assert.Equal("train", exception.ParamName);
    }
}
