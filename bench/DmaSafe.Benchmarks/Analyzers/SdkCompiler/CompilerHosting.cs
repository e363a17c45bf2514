namespace DmaSafe.Benchmarks.Analyzers.SdkCompiler;

/// <summary>How the measured builds run the SDK's compiler.</summary>
internal enum CompilerHosting
{
    /// <summary>A csc process per build, as <c>UseSharedCompilation=false</c>: every build pays start-up and JIT.</summary>
    ProcessPerBuild,

    /// <summary>
    /// A compiler server per variant, as a developer's machine runs one: the server that compiles the builds with
    /// DmaSafe never compiles one without it, so whatever DmaSafe leaves in the server (heap, JIT state) is paid by the
    /// DmaSafe builds alone.
    /// </summary>
    ServerPerVariant,

    /// <summary>
    /// One compiler server for both variants (session 8's server measure): whatever DmaSafe leaves in the server is
    /// paid by both variants alike, so this can hide such a cost.
    /// </summary>
    SharedServer,
}
