using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace HiddenSpace;

/// <summary>
/// Writes <c>summary.json</c>: the run's settings, outcome and figures. NaN figures (accuracy of a regression
/// run, R² of a classifier) are written as null; unknown separability verdicts too; a cancelled run has no
/// probe or separability entries (the analysis did not run).
/// </summary>
internal static class ExperimentSummary
{
    public static void Write(Stream stream, ExperimentResult result, IReadOnlyList<EpochCurve> curves, ExperimentSettings settings, IReadOnlyList<string> featureNames)
    {
        bool classify = result.Task == TaskKind.Classification;
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("claim", result.Claim);
        if (classify) json.WriteString("claim_train", HiddenSpaceClaim.Sentence(result.Layers, "train"));
        json.WriteString("dataset", result.Dataset);
        json.WriteString("task", classify ? "classification" : "regression");
        if (result.ClassNames is { } names)
        {
            // The classes' names in class order: "class" in the verdicts below and the weights' order are these.
            json.WriteStartArray("class_names");
            foreach (string name in names) json.WriteStringValue(name);
            json.WriteEndArray();
        }
        json.WriteString("network", result.Network.Widths());
        json.WriteString("architecture", result.Network.Fingerprint());
        json.WriteNumber("parameters", result.Network.ParameterCount);
        if (settings.Engine is not null) json.WriteString("engine", settings.Engine);
        json.WriteString("outcome", result.History.Outcome.ToString());
        json.WriteString("message", result.History.Message);
        json.WriteNumber("epochs", result.History.Epochs.Count);
        // The whole splits, the rows the figures were measured on (all, or a stratified sample) and the points plotted.
        json.WriteStartObject("rows");
        json.WriteNumber("train", result.TrainRows);
        json.WriteNumber("test", result.TestRows);
        json.WriteNumber("measured_train", result.MeasuredRows.Train);
        json.WriteNumber("measured_test", result.MeasuredRows.Test);
        json.WriteNumber("plotted", result.PlottedPoints);
        json.WriteNumber("skipped", settings.SkippedRows); // left out of the source before the split (missing values)
        json.WriteEndObject();
        Number(json, "train_accuracy", result.TrainAccuracy);
        Number(json, "test_accuracy", result.TestAccuracy);
        if (!classify)
        {
            Number(json, "train_r_squared", result.TrainRSquared);
            Number(json, "test_r_squared", result.TestRSquared);
        }
        if (result.History.Epochs.Count > 0) Number(json, "final_train_loss", result.History.Epochs[^1].TrainLoss);
        if (result.Options is TrainingOptions options) WriteTraining(json, options);
        if (result.History.BestEpoch is int best)
        {
            json.WriteNumber("best_epoch", best);
            json.WriteBoolean("stopped_early", result.History.StoppedEarly);
        }
        if (result.History.TargetScale is TargetScale scale)
        {
            // The network was trained on (target − mean) / deviation; its predictions and every R² are on the original scale.
            json.WriteStartObject("target_standardization");
            json.WriteString("fitted_on", "train");
            json.WriteNumber("mean", scale.Mean);
            json.WriteNumber("deviation", scale.Deviation);
            json.WriteEndObject();
        }

        if (classify)
        {
            json.WriteStartObject("probe_accuracy");
            foreach (KeyValuePair<string, double> probe in result.ProbeAccuracy) json.WriteNumber(probe.Key, probe.Value);
            json.WriteEndObject();
            json.WriteStartObject("separability");
            foreach (LayerFigures layer in result.Layers)
                if (layer.Separability is SeparabilityReport report) WriteSeparability(json, layer.Name, report);
            json.WriteEndObject();
            json.WriteStartObject("separability_train");
            foreach (LayerFigures layer in result.Layers)
                if (layer.TrainSeparability is SeparabilityReport report) WriteSeparability(json, layer.Name, report);
            json.WriteEndObject();
        }
        else
        {
            json.WriteStartObject("r_squared");
            foreach (LayerFigures layer in result.Layers)
                if (layer.RSquared is double r2) Number(json, layer.Name, r2);
            json.WriteEndObject();
        }

        if (settings.InputStandardizer is Standardizer standardizer)
        {
            json.WriteStartObject("standardization");
            json.WriteString("fitted_on", "train");
            json.WriteStartArray("features");
            foreach (string name in featureNames) json.WriteStringValue(name);
            json.WriteEndArray();
            json.WriteStartArray("means");
            foreach (double mean in standardizer.Means) json.WriteNumberValue(mean);
            json.WriteEndArray();
            json.WriteStartArray("deviations");
            foreach (double deviation in standardizer.Deviations) json.WriteNumberValue(deviation);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteStartArray("frames");
        foreach (TrainingFrame frame in result.Frames) json.WriteNumberValue(frame.Epoch);
        json.WriteEndArray();

        json.WriteStartArray("history");
        foreach (EpochCurve curve in curves)
        {
            EpochStats epoch = curve.Stats;
            json.WriteStartObject();
            json.WriteNumber("epoch", epoch.Epoch);
            Number(json, "learning_rate", epoch.LearningRate);
            Number(json, "train_loss", epoch.TrainLoss);
            Number(json, "test_loss", epoch.TestLoss);
            if (double.IsFinite(epoch.ValidationLoss)) Number(json, "validation_loss", epoch.ValidationLoss);
            if (classify)
            {
                Number(json, "train_accuracy", epoch.TrainAccuracy);
                Number(json, "test_accuracy", epoch.TestAccuracy);
            }
            else
            {
                Number(json, "train_r_squared", curve.TrainRSquared);
                Number(json, "test_r_squared", curve.TestRSquared);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The settings the run trained with.</summary>
    private static void WriteTraining(Utf8JsonWriter json, TrainingOptions options)
    {
        OptimizerSettings optimizer = options.OptimizerOrDefault;
        json.WriteStartObject("training");
        json.WriteNumber("epochs", options.Epochs);
        json.WriteNumber("batch", options.BatchSize);
        json.WriteNumber("seed", options.Seed);
        json.WriteString("optimizer", optimizer.Kind.ToString());
        json.WriteNumber("learning_rate", optimizer.LearningRate);
        json.WriteNumber("l1", optimizer.L1);
        json.WriteNumber("l2", optimizer.L2);
        if (options.Schedule is LearningRateSchedule schedule)
        {
            json.WriteStartObject("schedule");
            json.WriteString("kind", schedule.Kind.ToString());
            json.WriteNumber("warmup_epochs", schedule.WarmupEpochs);
            json.WriteNumber("step_epochs", schedule.StepEpochs);
            json.WriteNumber("step_factor", schedule.StepFactor);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("schedule");
        }
        if (options.EarlyStopping is EarlyStopping stopping)
        {
            json.WriteStartObject("early_stopping");
            json.WriteNumber("validation_fraction", stopping.ValidationFraction);
            json.WriteNumber("patience", stopping.Patience);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("early_stopping");
        }
        if (options.ClassWeights is IReadOnlyList<float> weights)
        {
            json.WriteStartArray("class_weights");
            foreach (float weight in weights) json.WriteNumberValue(weight);
            json.WriteEndArray();
        }
        else
        {
            json.WriteNull("class_weights");
        }
        json.WriteBoolean("standardize_targets", options.StandardizeTargets);
        json.WriteEndObject();
    }

    /// <summary>
    /// One representation's verdict: overall (with its wording), one-vs-rest per class and per pair of classes,
    /// with normalised margins and the fewest points a line leaves on the wrong side.
    /// </summary>
    internal static void WriteSeparability(Utf8JsonWriter json, string name, SeparabilityReport report)
    {
        json.WriteStartObject(name);
        json.WriteNumber("dimension", report.Dimension);
        json.WriteNumber("rows", report.Count);
        json.WriteString("method", report.OneVsRest.Count > 0 ? report.OneVsRest[0].Method.ToString() : "");
        json.WriteString("count_method", report.Dimension <= 2
            ? "exact: rotating sweep over lines through each point"
            : "best found (an upper bound): linear probe normal, best cut along it, then points put back while a linear program still separates");
        Verdict(json, "separable", report.Separable);
        json.WriteString("verdict", HiddenSpaceClaim.Verdict(report));
        Number(json, "normalized_margin", LayerFigures.WorstMargin(report));
        json.WriteStartArray("one_vs_rest");
        foreach (SeparabilityEntry entry in report.OneVsRest) Entry(json, entry);
        json.WriteEndArray();
        json.WriteStartArray("pairs");
        foreach (SeparabilityEntry entry in report.Pairs) Entry(json, entry);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Entry(Utf8JsonWriter json, SeparabilityEntry entry)
    {
        json.WriteStartObject();
        json.WriteNumber("class", entry.Class);
        if (entry.OtherClass is int other) json.WriteNumber("other", other);
        Verdict(json, "separable", entry.Separable);
        Number(json, "normalized_margin", entry.NormalizedMargin);
        json.WritePropertyName("fewest_wrong");
        if (entry.FewestWrong is int wrong) json.WriteNumberValue(wrong);
        else json.WriteNullValue();
        json.WriteBoolean("fewest_wrong_exact", entry.FewestWrongIsExact);
        json.WriteNumber("rows", entry.Rows);
        json.WriteEndObject();
    }

    private static void Verdict(Utf8JsonWriter json, string name, bool? verdict)
    {
        if (verdict is bool value) json.WriteBoolean(name, value);
        else json.WriteNull(name);
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double number && double.IsFinite(number)) json.WriteNumber(name, number);
        else json.WriteNull(name);
    }
}
