using System;
using HiddenSpace.Samples.Moons;
using HiddenSpace;

var net = new MoonsNet(seed: 0);
Dataset data = Datasets.Moons(1000, 0.1, seed: 0);
(Dataset train, Dataset test) = data.StratifiedSplit(0.3, seed: 0);
var sw = System.Diagnostics.Stopwatch.StartNew();
TrainingHistory history = Trainer.Train(net, train, test, new TrainingOptions(Epochs: 200, BatchSize: 32, new OptimizerSettings(LearningRate: 0.01f)));
Console.WriteLine($"{history.Outcome} {sw.ElapsedMilliseconds} ms train={history.Epochs[^1].TrainAccuracy} test={history.Epochs[^1].TestAccuracy}");
Console.WriteLine($"probe input={LinearProbe.Score(train, test)} bottleneck={LinearProbe.Score(TapRecorder.AsDataset(net, train, 0), TapRecorder.AsDataset(net, test, 0))}");
