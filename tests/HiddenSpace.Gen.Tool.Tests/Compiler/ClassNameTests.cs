using System;
using HiddenSpace.Compiler;
using HiddenSpace.Tests.Baking;
using Xunit;
using Xunit.Sdk;

namespace HiddenSpace.Tests.Compiler;

/// <summary>
/// <see cref="NetworkCompiler.ClassNameProblem"/> refuses a class name exactly when the code written under that name does
/// not build: each name here is compiled, and the refusal must agree with the compiler.
/// </summary>
public class ClassNameTests
{
    [Theory]
    [InlineData("Loss")]
    [InlineData("Activation")]
    [InlineData("NetworkAttribute")]
    [InlineData("HiddenSpace")]
    [InlineData("Forward")]
    [InlineData("Network")] // the default name: [Network] still finds NetworkAttribute
    [InlineData("Dense")]
    [InlineData("Demo")]
    public void AGeneratedClassNameIsRefusedExactlyWhenItsCodeWouldNotBuild(string name)
    {
        var shape = new NetworkShape(2, Loss.BinaryCrossEntropy, new LayerShape(4, Activation.ReLU), new LayerShape(1, Activation.Sigmoid));
        bool builds;
        try
        {
            GeneratedNetworkCode code = NetworkCompiler.Generate(shape, name, null);
            builds = RoslynBuild.Build("ClassName" + name, code.Declaration, emit: true, laneWidth: "128", default).Errors.Count == 0;
        }
        catch (ArchitectureRejectedException)
        {
            builds = false;
        }
        Assert.Equal(builds, NetworkCompiler.ClassNameProblem(name, standalone: false) is null);
    }

    [Theory]
    [InlineData("Forward")]
    [InlineData("Predict")]
    [InlineData("Kernels")]
    [InlineData("System")]
    [InlineData("ClassNames")]
    [InlineData("Network")]
    [InlineData("MoonsClassifier")]
    public void AnExportedClassNameIsRefusedExactlyWhenItsCodeWouldNotBuild(string name)
    {
        bool builds;
        try
        {
            StandaloneBuild.CompileAndLoad(NetworkExport.CSharp(BakedMoonsNet.CommittedPath, name), StandaloneTarget.Net100);
            builds = true;
        }
        catch (XunitException)
        {
            builds = false;
        }
        Assert.Equal(builds, NetworkCompiler.ClassNameProblem(name, standalone: true) is null);
    }
}
