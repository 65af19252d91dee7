using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace HiddenSpace.Gen.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports. Each message says what is wrong and how to fix it; each is
/// reported on the offending attribute argument where there is one. Release-tracked in
/// AnalyzerReleases.*.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "HiddenSpace.Gen";

    public static readonly DiagnosticDescriptor NotPartial = Error("HSG0001", "Network class must be partial",
        "The class '{0}' declares a network but is not partial; add the 'partial' modifier so the generator can add the network code to it");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error("HSG0002", "Type containing a network must be partial",
        "The type '{0}' contains the network class '{1}' but is not partial; add the 'partial' modifier to '{0}'");

    public static readonly DiagnosticDescriptor UnsupportedTypeKind = Error("HSG0003", "Network must be a non-generic, non-static, non-abstract class",
        "'{0}' cannot hold a network because it is {1}; declare the network on a plain (non-generic, non-static, non-abstract) partial class");

    public static readonly DiagnosticDescriptor DenseWithoutNetwork = Error("HSG0004", "[Dense] without [Network]",
        "The class '{0}' has [Dense] layers but no [Network] attribute; add [Network(Inputs = ..., Loss = ...)] to declare the network");

    public static readonly DiagnosticDescriptor NoLayers = Error("HSG0005", "[Network] without layers",
        "The network '{0}' has no [Dense] layers; add at least one [Dense(units, activation)] attribute (the last one is the output layer)");

    public static readonly DiagnosticDescriptor InvalidInputs = Error("HSG0006", "Invalid input count",
        "The network '{0}' has Inputs = {1}; set Inputs to the number of input features (at least 1)");

    public static readonly DiagnosticDescriptor InvalidUnits = Error("HSG0007", "Invalid layer width",
        "Layer {0} of '{1}' has {2} units; a layer needs at least 1 unit");

    public static readonly DiagnosticDescriptor UndefinedActivation = Error("HSG0008", "Undefined activation",
        "Layer {0} of '{1}' has activation value {2}, which is not a member of HiddenSpace.Activation; use one of Linear, ReLU, LeakyReLU, Tanh, Sigmoid, Softplus, GELU, ELU, Softmax");

    public static readonly DiagnosticDescriptor UndefinedLoss = Error("HSG0009", "Undefined loss",
        "The network '{0}' has loss value {1}, which is not a member of HiddenSpace.Loss; use BinaryCrossEntropy, MeanSquaredError or SoftmaxCrossEntropy");

    public static readonly DiagnosticDescriptor SoftmaxNotLast = Error("HSG0010", "Softmax on a hidden layer",
        "Layer {0} of '{1}' uses Softmax, which is allowed on the output (last) layer only; use another activation here");

    public static readonly DiagnosticDescriptor LossOutputMismatch = Error("HSG0011", "Loss does not fit the output layer",
        "The loss {0} of '{1}' needs {2}, but the output layer is {3}; change the loss or the last [Dense] layer");

    public static readonly DiagnosticDescriptor InvalidTapName = Error("HSG0012", "Invalid tap name",
        "Tap name \"{0}\" on layer {1} of '{2}' is not a valid C# identifier; the tap becomes a property of that name, so use letters, digits and '_' and do not start with a digit");

    public static readonly DiagnosticDescriptor DuplicateTapName = Error("HSG0013", "Duplicate tap name",
        "Tap name \"{0}\" is used on layers {1} and {2} of '{3}'; give every tap its own name");

    public static readonly DiagnosticDescriptor TapNameCollision = Error("HSG0014", "Tap name collides with a generated member",
        "Tap name \"{0}\" of '{1}' is also the name of a member the generator writes (or of the class); choose another name");

    public static readonly DiagnosticDescriptor LayersSplitAcrossDeclarations = Error("HSG0015", "[Dense] attributes on several partial declarations",
        "The [Dense] layers of '{0}' are spread over several partial declarations, so their order is ambiguous; put all [Dense] attributes on one declaration");

    public static readonly DiagnosticDescriptor MemberCollision = Error("HSG0016", "Member collides with generated code",
        "'{0}' already declares '{1}', which the generator writes for every network; rename or remove the member");

    public static readonly DiagnosticDescriptor LayerLooped = new("HSG0017", "Layer written as loops",
        "Layer {0} of '{1}' has {2} weights, more than the unroll limit of {3}, so it is written as vectorised loops instead of unrolled code; set Unrolling = Unrolling.Always on [Network] to unroll it anyway",
        Category, DiagnosticSeverity.Info, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UndefinedUnrolling = Error("HSG0018", "Undefined unrolling mode",
        "The network '{0}' has Unrolling value {1}, which is not a member of HiddenSpace.Unrolling; use Auto, Always or Never");

    public static readonly DiagnosticDescriptor NetworkTooLarge = Error("HSG0019", "Network too large",
        "The network '{0}' needs {1} parameters and {2} floats of scratch, more than one array can hold ({3}); use fewer inputs or narrower layers");

    public static readonly DiagnosticDescriptor TooLargeToUnroll = Error("HSG0020", "Layer too large to unroll",
        "Layer {0} of '{1}' has {2} weights; Unrolling.Always unrolls at most {3} weights a layer (beyond that the generated file runs to hundreds of thousands of lines that the JIT compiles unoptimised); use Unrolling.Auto, which writes this layer as vectorised loops");

    public static readonly DiagnosticDescriptor WeightsFileNotInAdditionalFiles = Error("HSG0021", "Weights file not in AdditionalFiles",
        "The network '{0}' names the weights file '{1}', which is not among the project's AdditionalFiles; add <AdditionalFiles Include=\"{1}\" /> to the project file (the name is matched against the end of each additional file's path)");

    public static readonly DiagnosticDescriptor WeightsFileUnreadable = Error("HSG0022", "Weights file unreadable",
        "The weights file '{1}' of '{0}' cannot be read: {2}; write it again with WeightsFile.SaveText or hiddenspace train");

    public static readonly DiagnosticDescriptor WeightsFileVersion = Error("HSG0023", "Weights file format version not supported",
        "The weights file '{1}' of '{0}' cannot be baked: {2}");

    public static readonly DiagnosticDescriptor WeightsFileChecksum = Error("HSG0024", "Weights file checksum mismatch",
        "The weights file '{1}' of '{0}' fails its check: {2}; restore the file, or if the change was meant, write it again with WeightsFile.SaveText (a hand edit is not baked)");

    public static readonly DiagnosticDescriptor WeightsArchitectureMismatch = Error("HSG0025", "Weights file is for another architecture",
        "The weights file '{1}' holds weights for '{2}' but '{0}' declares '{3}' ({4}); declare the architecture the file was trained with, or name this network's file");

    public static readonly DiagnosticDescriptor WeightsNotFinite = Error("HSG0026", "Weights file holds a value that is not finite",
        "The weights file '{1}' of '{0}' holds a value that is not finite: {2}; a baked network needs finite weights: train again (a lower learning rate often helps) and save the file again");

    public static readonly DiagnosticDescriptor LayerTooLargeToBake = Error("HSG0027", "Layer too large to bake",
        "Layer {0} of '{1}' has {2} weights; a baked network holds at most {3} weights a layer (this one alone would add about {4} MB of C# to the build); remove Weights from [Network] and load the file at run time with WeightsFile.LoadText, or export it with hiddenspace export --format onnx");

    public static readonly DiagnosticDescriptor WeightsFileAmbiguous = Error("HSG0028", "Weights file name matches several AdditionalFiles",
        "The network '{0}' names the weights file '{1}', which matches several AdditionalFiles ({2}); name it by a longer part of its path");

    public static readonly DiagnosticDescriptor InternalError = Error("HSG0099", "Generator failure",
        "HiddenSpace.Gen could not process '{0}': {1}; please report this with the declaration");

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = typeof(DiagnosticDescriptors)
        .GetFields()
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToDictionary(d => d.Id);

    public static IEnumerable<DiagnosticDescriptor> All => s_byId.Values;

    public static DiagnosticDescriptor ById(string id) => s_byId[id];

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
