namespace HiddenSpace.Kernels;

// The vector functions as type arguments, so that the span and lane loops are written once and the JIT still
// specialises and inlines each function into its own loop. The structs repeat one shape because C# cannot pass a
// generic method as a type argument: one struct per function is the price.
public static partial class ActivationKernels
{
    private interface IVectorOp
    {
        static abstract TVector Apply<TVector, TMath>(TVector x) where TVector : struct where TMath : ILaneMath<TVector>;
    }

    private readonly struct ExpOp : IVectorOp
    {
        public static TVector Apply<TVector, TMath>(TVector x) where TVector : struct where TMath : ILaneMath<TVector> => TMath.Exp(x);
    }

    private readonly struct TanhOp : IVectorOp
    {
        public static TVector Apply<TVector, TMath>(TVector x) where TVector : struct where TMath : ILaneMath<TVector> => Tanh<TVector, TMath>(x);
    }

    private readonly struct SigmoidOp : IVectorOp
    {
        public static TVector Apply<TVector, TMath>(TVector x) where TVector : struct where TMath : ILaneMath<TVector> => Sigmoid<TVector, TMath>(x);
    }

    private readonly struct ReluOp : IVectorOp
    {
        public static TVector Apply<TVector, TMath>(TVector x) where TVector : struct where TMath : ILaneMath<TVector> => ReLU<TVector, TMath>(x);
    }

    private readonly struct LeakyReluOp : IVectorOp
    {
        public static TVector Apply<TVector, TMath>(TVector x) where TVector : struct where TMath : ILaneMath<TVector> => LeakyReLU<TVector, TMath>(x);
    }

    private readonly struct SoftplusOp : IVectorOp
    {
        public static TVector Apply<TVector, TMath>(TVector x) where TVector : struct where TMath : ILaneMath<TVector> => Softplus<TVector, TMath>(x);
    }

    private readonly struct GeluOp : IVectorOp
    {
        public static TVector Apply<TVector, TMath>(TVector x) where TVector : struct where TMath : ILaneMath<TVector> => GELU<TVector, TMath>(x);
    }

    private readonly struct EluOp : IVectorOp
    {
        public static TVector Apply<TVector, TMath>(TVector x) where TVector : struct where TMath : ILaneMath<TVector> => ELU<TVector, TMath>(x);
    }

    private readonly struct TanhDerivativeOp : IVectorOp
    {
        public static TVector Apply<TVector, TMath>(TVector a) where TVector : struct where TMath : ILaneMath<TVector> => TanhDerivative<TVector, TMath>(a);
    }

    private readonly struct SigmoidDerivativeOp : IVectorOp
    {
        public static TVector Apply<TVector, TMath>(TVector a) where TVector : struct where TMath : ILaneMath<TVector> => SigmoidDerivative<TVector, TMath>(a);
    }

    private readonly struct ReluDerivativeOp : IVectorOp
    {
        public static TVector Apply<TVector, TMath>(TVector z) where TVector : struct where TMath : ILaneMath<TVector> => ReLUDerivative<TVector, TMath>(z);
    }

    private readonly struct LeakyReluDerivativeOp : IVectorOp
    {
        public static TVector Apply<TVector, TMath>(TVector z) where TVector : struct where TMath : ILaneMath<TVector> => LeakyReLUDerivative<TVector, TMath>(z);
    }

    private readonly struct GeluDerivativeOp : IVectorOp
    {
        public static TVector Apply<TVector, TMath>(TVector z) where TVector : struct where TMath : ILaneMath<TVector> => GELUDerivative<TVector, TMath>(z);
    }
}
