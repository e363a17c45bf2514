using System;

namespace DmaSafe.Package.Tests.Infrastructure;

/// <summary>What a finished tool run printed and returned, with a description fit for a failure message.</summary>
internal sealed record ProcessResult(string CommandLine, string WorkingDirectory, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The command, where it ran, its exit code and everything it printed.</summary>
    public string Describe() =>
        $"`{CommandLine}` in {WorkingDirectory} exited with {ExitCode}.{Environment.NewLine}" +
        $"--- stdout ---{Environment.NewLine}{StandardOutput}{Environment.NewLine}" +
        $"--- stderr ---{Environment.NewLine}{StandardError}";

    /// <summary>Throws with <see cref="Describe"/> unless the exit code is 0.</summary>
    public ProcessResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException("A tool failed: " + Describe());
        }

        return this;
    }
}
