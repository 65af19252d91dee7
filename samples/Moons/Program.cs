using System;
using HiddenSpace.Samples.Moons;

return MoonsProgram.Run(args, Console.Out, Console.Error);
