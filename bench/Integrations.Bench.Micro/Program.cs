using BenchmarkDotNet.Running;

// No arguments: run every benchmark. Otherwise BenchmarkDotNet's own switches (--filter, --list, --job …).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);

/// <summary>The entry point.</summary>
public partial class Program;
