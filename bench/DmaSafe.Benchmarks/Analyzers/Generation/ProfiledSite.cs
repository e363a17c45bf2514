namespace DmaSafe.Benchmarks.Analyzers.Generation;

/// <summary>A bounce the profile records: where the buffer was allocated, where it was mapped, how often and how much.</summary>
internal sealed record ProfiledSite(
    string File,
    string AllocationMember,
    int AllocationLine,
    string MapMember,
    int MapLine,
    long Count,
    long Bytes);
