using System;
using System.Linq;
using HiddenSpace.Gen.Model;
using Xunit;

namespace HiddenSpace.Tests.Generator;

/// <summary>The generator cannot reference the runtime, so it mirrors three enums; they must agree.</summary>
public class EnumMirrorTests
{
    [Fact]
    public void GeneratorEnumsMirrorTheRuntimeEnums()
    {
        AssertMirror<ActivationKind, Activation>();
        AssertMirror<LossKind, Loss>();
        AssertMirror<UnrollingKind, Unrolling>();
    }

    [Fact]
    public void UnrollLimitsAgree() =>
        Assert.Equal(NetworkAttribute.DefaultUnrollLimit, HiddenSpace.Gen.Parsing.NetworkParser.DefaultUnrollLimit);

    private static void AssertMirror<TGenerator, TRuntime>() where TGenerator : struct, Enum where TRuntime : struct, Enum
    {
        Assert.Equal(
            Enum.GetValues<TRuntime>().Select(v => (v.ToString(), Convert.ToInt32(v))),
            Enum.GetValues<TGenerator>().Select(v => (v.ToString(), Convert.ToInt32(v))));
    }
}
